/// The file formats Couponmark reads, told apart by their first bytes (never by a file
/// name or a MIME type, which the sender chooses).
public enum ImageFormat: String, Sendable, Hashable, CaseIterable {
    /// `89 50 4E 47 0D 0A 1A 0A`.
    case png
    /// SOI and the start of the next marker: `FF D8 FF`.
    case jpeg
    /// A RIFF container of form type WEBP: `RIFF`, four size bytes, `WEBP`.
    case webp

    /// The format whose signature starts `bytes`, or nil (too short or unknown).
    public init?(sniffing bytes: some Collection<UInt8>) {
        guard let format = Self.allCases.first(where: { $0.matches(bytes) }) else { return nil }
        self = format
    }

    /// Whether `bytes` start with this format's signature.
    public func matches(_ bytes: some Collection<UInt8>) -> Bool {
        switch self {
        case .png: bytes.starts(with: Self.pngSignature)
        case .jpeg: bytes.starts(with: Self.jpegSignature)
        case .webp:
            bytes.count >= 12 && bytes.starts(with: Self.riff) && bytes.dropFirst(8).starts(with: Self.webpForm)
        }
    }

    /// Whether `bytes` are too short to decide but could still be the start of this format's
    /// signature (a file cut inside its first bytes).
    func couldStart(_ bytes: some Collection<UInt8>) -> Bool {
        switch self {
        case .png: bytes.count < Self.pngSignature.count && Self.pngSignature.starts(with: bytes)
        case .jpeg: bytes.count < Self.jpegSignature.count && Self.jpegSignature.starts(with: bytes)
        case .webp:
            bytes.count < 12 && Self.riff.starts(with: bytes.prefix(4))
                && Self.webpForm.starts(with: bytes.dropFirst(8))
        }
    }

    /// Refuses bytes that do not start with this format's signature, before a decoder reads
    /// them: no bytes are ``ImageFormatError/empty``, bytes that stop inside the signature
    /// ``ImageFormatError/truncated(_:)`` with `cutShort` as its text, anything else
    /// ``ImageFormatError/unrecognized``.
    func checkSignature(of data: UnsafeRawBufferPointer, cutShort: String) throws(ImageFormatError) {
        guard !data.isEmpty else { throw .empty }
        guard matches(data) else { throw couldStart(data) ? .truncated(cutShort) : .unrecognized }
    }

    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    static let jpegSignature: [UInt8] = [0xFF, 0xD8, 0xFF]
    static let riff = Array("RIFF".utf8)
    static let webpForm = Array("WEBP".utf8)
}
