extension Array where Element: BitwiseCopyable {
    /// `count` elements that `initialize` writes, every one of them, without zeroing them
    /// first: the planes of the robust layer are a few hundred kilobytes each, which
    /// `init(repeating:count:)` would clear only for a kernel to overwrite.
    init(writing count: Int, _ initialize: (UnsafeMutableBufferPointer<Element>) -> Void) {
        self.init(unsafeUninitializedCapacity: count) { buffer, initialized in
            initialize(UnsafeMutableBufferPointer(rebasing: buffer[0..<count]))
            initialized = count
        }
    }
}
