internal import CTurboJPEG

/// The TurboJPEG 2.1 API as Debian 12 ships it (libjpeg-turbo 2.1.5; the tj3 API of 3.0 is
/// not there). Unlike libjpeg's own API, whose default error handler calls `exit()`,
/// TurboJPEG catches libjpeg's errors with its own `setjmp` and returns -1 with a message,
/// so no C shim is needed. A handle is not shareable between threads: each call makes its own.
enum TurboJPEG {
    /// Runs `body` with a fresh handle from `make` (`tjInitDecompress` or `tjInitCompress`)
    /// and destroys it afterwards.
    static func withHandle<R>(
        _ make: () -> tjhandle?, _ body: (tjhandle) throws(ImageFormatError) -> R
    ) throws(ImageFormatError) -> R {
        guard let handle = make() else { throw .corrupt("cannot create a TurboJPEG instance (out of memory)") }
        defer { tjDestroy(handle) }
        return try body(handle)
    }

    /// The handle's last error message.
    static func message(_ handle: tjhandle) -> String {
        guard let text = tjGetErrorStr2(handle) else { return "unknown TurboJPEG error" }
        return String(cString: text)
    }

    /// Sorts the handle's last error into a case: the end of the data (libjpeg's "Premature
    /// end of JPEG file" warning, an error here since decoding stops on warnings) is
    /// ``ImageFormatError/truncated(_:)``; a coding process or sampling TurboJPEG does not
    /// handle is ``ImageFormatError/unsupported(_:)``; anything else is an invalid header
    /// (while reading the header) or corrupt data (while decoding the scans).
    static func error(_ handle: tjhandle, readingHeader: Bool) -> ImageFormatError {
        let message = message(handle)
        let lower = message.lowercased()
        if lower.contains("premature end of jpeg file") {
            return .truncated(message)
        }
        if lower.contains("unsupported") || lower.contains("not implemented")
            || lower.contains("could not determine subsampling")
        {
            return .unsupported(message)
        }
        return readingHeader ? .invalidHeader(message) : .corrupt(message)
    }
}
