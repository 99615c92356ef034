import Foundation

/// Output helpers: results on stdout, diagnostics on stderr, JSON as one document.
enum Terminal {
    static func error(_ line: String) {
        FileHandle.standardError.write(Data("coupon: \(line)\n".utf8))
    }

    static func note(_ line: String) {
        FileHandle.standardError.write(Data("\(line)\n".utf8))
    }

    /// Encodes `value` as one line of JSON with stable key order.
    static func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) != 0 }
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }
}

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
    /// half-written file; `mode` sets the permissions (0600 for keys).
    static func write(_ bytes: [UInt8], to path: String, mode: Int? = nil) throws(CommandFailure) {
        do {
            let url = URL(fileURLWithPath: path)
            try Data(bytes).write(to: url, options: .atomic)
            if let mode {
                try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
            }
        } catch {
            throw CommandFailure("cannot write \(path): \(Files.reason(error))", exitCode: ExitStatus.usage)
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

/// Raw writes to the standard streams.
enum FileHandleOutput {
    static func standardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
