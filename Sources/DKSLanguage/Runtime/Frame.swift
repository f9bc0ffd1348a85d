// Frame: the activation record of one function call: local slots (allocated in the same
// block as the frame), cells for locals that closures capture, the closure's own captured
// cells, `defer` blocks and the return value.
// Must not: look anything up by name (the compiler resolved every name to an index).

/// A shared variable: a local captured by a closure, or a global.
public final class Cell {
    public var value: Value
    public init(_ value: Value) { self.value = value }
}

/// How statements tell their loop or function what happens next (no Swift errors for control flow).
public enum Flow {
    case normal
    case breakLoop
    case continueLoop
    case returned
}

public struct FrameHeader {
    var cells: ContiguousArray<Cell>
    /// The called function value's captured cells (borrowed: the caller holds that value for the call).
    var captures: CaptureCells
    var returnValue: Value = .null
    var defers: [FunctionValue]?
    /// Unmanaged: the interpreter outlives its frames, and the hot call path borrows it without reference counting.
    let interpRef: Unmanaged<Interpreter>
    let slotCount: Int
    /// The next frame in its pool's free list (nil while the frame is in use). Unmanaged: the
    /// pool owns every frame on its list, so moving frames on and off costs no reference counting.
    var nextFree: Unmanaged<Frame>?
}

/// One call's state. The slots are tail-allocated: one allocation per call, not two.
public final class Frame: ManagedBuffer<FrameHeader, Value> {
    static func make(interp: Interpreter, slotCount: Int, cellCount: Int, captures: CaptureCells) -> Frame {
        var cells = ContiguousArray<Cell>()
        if cellCount > 0 {
            cells.reserveCapacity(cellCount)
            for _ in 0..<cellCount { cells.append(Cell(.undefined)) }
        }
        let buffer = Frame.create(minimumCapacity: slotCount) { _ in
            FrameHeader(cells: cells, captures: captures, defers: nil, interpRef: Unmanaged.passUnretained(interp), slotCount: slotCount, nextFree: nil)
        }
        let frame = unsafeDowncast(buffer, to: Frame.self)
        if slotCount > 0 {
            frame.withUnsafeMutablePointerToElements { $0.initialize(repeating: .undefined, count: slotCount) }
        }
        return frame
    }

    /// Clears a finished frame so the pool can hand it to the next call with this many slots.
    @inline(__always)
    func reset() {
        withUnsafeMutablePointers { h, e in
            for i in 0..<h.pointee.slotCount { e[i] = .undefined }
            h.pointee.returnValue = .null
            h.pointee.captures = .empty
            if h.pointee.defers != nil { h.pointee.defers = nil }
        }
    }

    /// The return value, moved out (the frame keeps null): no copy on the way back to the caller.
    @inline(__always)
    func takeReturnValue() -> Value {
        withUnsafeMutablePointerToHeader { h in
            var v = Value.null
            swap(&v, &h.pointee.returnValue)
            return v
        }
    }

    @inline(__always)
    func prepare(captures: CaptureCells) {
        header.captures = captures
    }

    deinit {
        withUnsafeMutablePointers { h, e in _ = e.deinitialize(count: h.pointee.slotCount) }
    }

    /// The local slots (valid while the frame lives).
    @inline(__always) public var slots: UnsafeMutablePointer<Value> { withUnsafeMutablePointerToElements { $0 } }
    @inline(__always) public var cells: ContiguousArray<Cell> { header.cells }
    @inline(__always) var captures: CaptureCells { header.captures }
    @inline(__always) public var interp: Interpreter { header.interpRef.takeUnretainedValue() }
    @inline(__always) public var returnValue: Value {
        get { header.returnValue }
        set { header.returnValue = newValue }
    }
    var defers: [FunctionValue]? {
        get { header.defers }
        set { header.defers = newValue }
    }
}
