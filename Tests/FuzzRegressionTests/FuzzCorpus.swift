import Foundation
import FuzzTargets
import TestSupport

/// The files of `fixtures/fuzz/NAME/`: seeds (`seed-*`, each must be accepted by its target),
/// other inputs (`bad-*`, `codec-*`) and the fuzzers' findings (`crash-*`, `oom-*`, `timeout-*`),
/// which must only return.
struct FuzzCorpus {
    let target: FuzzTarget

    var directory: URL { TestFiles.fixtures.appendingPathComponent("fuzz").appendingPathComponent(target.name) }

    /// Every file, sorted by name, with its bytes.
    func files() throws -> [(name: String, bytes: [UInt8])] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        return try names.filter { !$0.hasPrefix(".") }.map { name in
            (name, [UInt8](try Data(contentsOf: directory.appendingPathComponent(name))))
        }
    }

    func seeds() throws -> [(name: String, bytes: [UInt8])] {
        try files().filter { $0.name.hasPrefix("seed-") }
    }
}
