import ImageCore

/// Reads the reference decoders' output: binary PGM (`P5`, expanded to RGB as the decoder
/// expands grayscale JPEGs), PPM (`P6`) and PAM (`P7`, RGB or RGB_ALPHA), maxval 255.
enum NetPBM {
    struct FormatError: Error, CustomStringConvertible {
        let description: String
    }

    static func read(_ bytes: [UInt8]) throws -> PixelBuffer {
        var position = 0
        func token() throws -> String {
            while position < bytes.count {
                if bytes[position] == UInt8(ascii: "#") {
                    while position < bytes.count, bytes[position] != 0x0A { position += 1 }
                } else if [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) {
                    position += 1
                } else {
                    break
                }
            }
            let start = position
            while position < bytes.count, ![0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
            guard position > start else { throw FormatError(description: "header ends early") }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        }
        let magic = try token()
        var width = 0
        var height = 0
        var channels = 0
        switch magic {
        case "P5", "P6":
            width = Int(try token()) ?? 0
            height = Int(try token()) ?? 0
            guard try token() == "255" else { throw FormatError(description: "maxval is not 255") }
            channels = magic == "P5" ? 1 : 3
        case "P7":
            while case let key = try token(), key != "ENDHDR" {
                let value = try token()
                switch key {
                case "WIDTH": width = Int(value) ?? 0
                case "HEIGHT": height = Int(value) ?? 0
                case "DEPTH": channels = Int(value) ?? 0
                case "MAXVAL": guard value == "255" else { throw FormatError(description: "maxval is not 255") }
                default: break
                }
            }
        default:
            throw FormatError(description: "not a binary PGM, PPM or PAM: \(magic)")
        }
        position += 1  // the single whitespace byte before the samples
        let samples = Array(bytes[position...])
        guard samples.count == width * height * channels else {
            throw FormatError(description: "\(samples.count) samples for \(width)x\(height)x\(channels)")
        }
        switch channels {
        case 1: return PixelBuffer(width: width, height: height, format: .rgb8, bytes: samples.flatMap { [$0, $0, $0] })!
        case 3: return PixelBuffer(width: width, height: height, format: .rgb8, bytes: samples)!
        case 4: return PixelBuffer(width: width, height: height, format: .rgba8, bytes: samples)!
        default: throw FormatError(description: "\(channels) channels")
        }
    }
}
