// MapStorage: the insertion-ordered hash map behind every dks map.
//
// The layout follows CPython's compact dict: keys and values in insertion order in two arrays,
// plus an open-addressed table of 64-bit slots, each holding the upper half of the key's hash and
// the entry's position. A lookup touches one slot run and then one key (small strings live inside
// the Value), compares a 32-bit hash tag before comparing keys, and growing re-places slots from
// their tags without hashing any key again. Maps of up to `linearLimit` entries have no table
// at all: a scan of a handful of keys is cheaper than hashing, and most maps (JSON objects,
// options) are that small.
//
// One reference wide, so a `Value` stays small; copy-on-write like Swift's collections.
// Must not: know about dks semantics beyond `Value`'s own `==` and `hash(into:)`.

/// An insertion-ordered map from dks values to dks values, with value semantics.
public struct MapStorage {
    @usableFromInline final class Buffer {
        var keys: [Value]
        var values: [Value]
        /// Open-addressed slots (count a power of two), or empty while the map is small. A slot is
        /// 0 when free, else `tag << 32 | (entry + 1)`, where `tag` is the hash's upper 32 bits.
        var table: [UInt64]

        init(keys: [Value], values: [Value], table: [UInt64]) {
            self.keys = keys
            self.values = values
            self.table = table
        }

        func copy() -> Buffer { Buffer(keys: keys, values: values, table: table) }
    }

    @usableFromInline var buffer: Buffer

    /// Up to this many entries, lookups scan the keys instead of keeping a table.
    static let linearLimit = 8

    public init() {
        buffer = Buffer(keys: [], values: [], table: [])
    }

    public init(minimumCapacity: Int) {
        self.init()
        buffer.keys.reserveCapacity(minimumCapacity)
        buffer.values.reserveCapacity(minimumCapacity)
    }

    /// A map from pairs; a repeated key keeps its first position and its last value.
    public init<S: Sequence>(uniqueKeysWithValues pairs: S) where S.Element == (Value, Value) {
        self.init()
        for (k, v) in pairs { self[k] = v }
    }

    /// Whether both share one storage (then they are equal; a mutation of either gives it its own).
    public func isSameStorage(as other: MapStorage) -> Bool { buffer === other.buffer }

    public var count: Int { buffer.keys.count }
    public var isEmpty: Bool { buffer.keys.isEmpty }

    /// The keys in insertion order.
    public var keys: [Value] { buffer.keys }

    /// The values in insertion order; assigning through an index changes that entry in place.
    public var values: [Value] {
        get { buffer.values }
        _modify {
            makeUnique()
            yield &buffer.values
        }
    }

    /// The entries in insertion order.
    public var elements: [(key: Value, value: Value)] { Array(self) }

    @inline(__always)
    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&buffer) { buffer = buffer.copy() }
    }

    // MARK: Lookup

    /// The position of `key` among the entries, if present.
    public func index(forKey key: Value) -> Int? {
        let b = buffer
        if b.table.isEmpty {
            for i in b.keys.indices where b.keys[i] == key { return i }
            return nil
        }
        let tag = MapStorage.tag(of: key)
        return MapStorage.find(key, tag: tag, in: b).entry
    }

    public subscript(key: Value) -> Value? {
        get {
            guard let i = index(forKey: key) else { return nil }
            return buffer.values[i]
        }
        set {
            if let v = newValue { updateValue(v, forKey: key) } else { removeValue(forKey: key) }
        }
    }

    /// Sets the value for `key` (a new key goes last); returns the value it replaced.
    @discardableResult
    public mutating func updateValue(_ value: Value, forKey key: Value) -> Value? {
        makeUnique()
        let b = buffer
        if b.table.isEmpty {
            for i in b.keys.indices where b.keys[i] == key {
                let old = b.values[i]
                b.values[i] = value
                return old
            }
            b.keys.append(key)
            b.values.append(value)
            if b.keys.count > MapStorage.linearLimit { MapStorage.rebuild(b) }
            return nil
        }
        let tag = MapStorage.tag(of: key)
        let found = MapStorage.find(key, tag: tag, in: b)
        if let i = found.entry {
            let old = b.values[i]
            b.values[i] = value
            return old
        }
        b.keys.append(key)
        b.values.append(value)
        b.table[found.freeSlot] = UInt64(tag) << 32 | UInt64(b.keys.count)
        // Keep the table at most two-thirds full, so probe runs stay short.
        if b.keys.count * 3 > b.table.count * 2 { MapStorage.grow(b) }
        return nil
    }

    /// Removes `key`; later entries move up one place. Returns the removed value.
    @discardableResult
    public mutating func removeValue(forKey key: Value) -> Value? {
        guard let i = index(forKey: key) else { return nil }
        makeUnique()
        let b = buffer
        b.keys.remove(at: i)
        let old = b.values.remove(at: i)
        // Positions after `i` changed: rebuilding is O(n), like the shift itself.
        MapStorage.rebuild(b)
        return old
    }

    public mutating func removeAll() {
        buffer = Buffer(keys: [], values: [], table: [])
    }

    /// Reorders the entries (the keys stay unique, so only positions change).
    public mutating func sort(by areInIncreasingOrder: ((key: Value, value: Value), (key: Value, value: Value)) throws -> Bool) rethrows {
        let sorted = try elements.sorted(by: areInIncreasingOrder)
        makeUnique()
        buffer.keys = sorted.map { $0.key }
        buffer.values = sorted.map { $0.value }
        MapStorage.rebuild(buffer)
    }

    // MARK: Table

    @inline(__always)
    static func tag(of key: Value) -> UInt32 {
        UInt32(truncatingIfNeeded: UInt64(bitPattern: Int64(key.hashValue)) >> 32)
    }

    /// Probes for `key`: its entry if present, else the free slot where it would go.
    @inline(__always)
    static func find(_ key: Value, tag: UInt32, in b: Buffer) -> (entry: Int?, freeSlot: Int) {
        let mask = b.table.count - 1
        var s = Int(tag) & mask
        while true {
            let slot = b.table[s]
            if slot == 0 { return (nil, s) }
            if UInt32(truncatingIfNeeded: slot >> 32) == tag {
                let e = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1
                if b.keys[e] == key { return (e, s) }
            }
            s = (s + 1) & mask
        }
    }

    /// Doubles the table, placing each slot by its stored tag (no key is hashed again).
    static func grow(_ b: Buffer) {
        let old = b.table
        var table = [UInt64](repeating: 0, count: old.count * 2)
        let mask = table.count - 1
        for slot in old where slot != 0 {
            var s = Int(UInt32(truncatingIfNeeded: slot >> 32)) & mask
            while table[s] != 0 { s = (s + 1) & mask }
            table[s] = slot
        }
        b.table = table
    }

    /// Rebuilds the table from the keys (after a removal or reorder), or drops it for a small map.
    static func rebuild(_ b: Buffer) {
        let n = b.keys.count
        guard n > linearLimit else {
            b.table = []
            return
        }
        var size = 16
        while n * 3 > size * 2 { size *= 2 }
        var table = [UInt64](repeating: 0, count: size)
        let mask = size - 1
        for (i, k) in b.keys.enumerated() {
            let tag = MapStorage.tag(of: k)
            var s = Int(tag) & mask
            while table[s] != 0 { s = (s + 1) & mask }
            table[s] = UInt64(tag) << 32 | UInt64(i + 1)
        }
        b.table = table
    }
}

extension MapStorage: Sequence {
    public struct Iterator: IteratorProtocol {
        let keys: [Value]
        let values: [Value]
        var i = 0
        public mutating func next() -> (key: Value, value: Value)? {
            guard i < keys.count else { return nil }
            defer { i += 1 }
            return (keys[i], values[i])
        }
    }

    public func makeIterator() -> Iterator { Iterator(keys: buffer.keys, values: buffer.values) }
    public var underestimatedCount: Int { count }
}
