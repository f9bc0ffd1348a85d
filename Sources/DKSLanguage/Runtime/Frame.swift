// Frame: the activation record of one function call: local slots, cells for locals that
// closures capture, the closure's own captured cells, `defer` blocks and the return value.
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

public final class Frame {
    /// Plain locals (not captured by any closure).
    public let slots: UnsafeMutablePointer<Value>
    let slotCount: Int
    /// Locals that closures capture live in cells, created fresh for each call.
    public var cells: ContiguousArray<Cell>
    /// The cells this function captured when it was created.
    public let captures: ContiguousArray<Cell>
    public var returnValue: Value = .null
    /// `defer` blocks registered so far, run last-first when the function ends.
    var defers: [FunctionValue]?
    public unowned(unsafe) let interp: Interpreter

    init(interp: Interpreter, slotCount: Int, cellCount: Int, captures: ContiguousArray<Cell>) {
        self.interp = interp
        self.slotCount = slotCount
        self.slots = UnsafeMutablePointer<Value>.allocate(capacity: max(slotCount, 1))
        self.slots.initialize(repeating: .undefined, count: max(slotCount, 1))
        if cellCount == 0 {
            self.cells = []
        } else {
            var c = ContiguousArray<Cell>()
            c.reserveCapacity(cellCount)
            for _ in 0..<cellCount { c.append(Cell(.undefined)) }
            self.cells = c
        }
        self.captures = captures
    }

    deinit {
        slots.deinitialize(count: max(slotCount, 1))
        slots.deallocate()
    }
}
