import CouponKit
import Foundation

/// Reading and writing the user's files with errors that name the file and exit 1.
enum Files {
    static func read(_ path: String) throws(CommandFailure) -> [UInt8] {
        do {
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw CommandFailure("cannot read \(path): \(Files.reason(error))", exitCode: ExitStatus.usage)
        }
    }

    /// Writes atomically (a temporary file renamed into place), so a failure leaves no
    /// half-written file, with `mode` from the first byte. 0600 by default: what the CLI
    /// writes is a coupon (a bearer instrument: whoever holds the file can order with it),
    /// a revealed coupon or a watermark's payload, none of them for other users of the
    /// machine. Commands that write pictures take `--mode` (``FileMode``) to share them.
    static func write(_ bytes: [UInt8], to path: String, mode: FileMode = .owner) throws(CommandFailure) {
        do {
            try KeyFiles.write(bytes: bytes, to: path, mode: mode.rawValue, overwrite: true)
        } catch {
            throw CommandFailure(error.description, exitCode: ExitStatus.usage)
        }
    }

    static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSCocoaErrorDomain {
            switch ns.code {
            case NSFileReadNoSuchFileError, NSFileNoSuchFileError: return "no such file"
            case NSFileReadNoPermissionError, NSFileWriteNoPermissionError: return "permission denied"
            default: break
            }
        }
        return ns.localizedDescription
    }
}
