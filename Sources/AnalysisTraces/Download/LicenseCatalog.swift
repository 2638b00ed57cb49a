import Foundation

/// Turns a licence as a source states it into the record's `DatasetLicense`: the stated name
/// is kept verbatim, and an SPDX identifier is added only for names that unambiguously denote
/// one (Kaggle's licence names, SPDX ids themselves, the usual long forms).
///
/// Unknown licences are flagged with `spdx: null` (the dataset card lists them): a licence
/// the source does not state at all (URLs, local files, Kaggle's "unknown") gets the name
/// `unknown`; a stated licence without an SPDX id ("Other (specified in description)",
/// "copyright-authors", "U.S. Government Works") keeps its stated name.
public enum LicenseCatalog {
    /// The licence for a stated name (nil or blank: not stated).
    public static func license(stated: String?, url: String? = nil) -> DatasetLicense {
        let name = stated?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let key = normalized(name)
        if name.isEmpty || key == "unknown" || key == "none" {
            return DatasetLicense(spdx: nil, name: "unknown", url: url)
        }
        let spdx = spdxByName[key]
        return DatasetLicense(spdx: spdx, name: name, url: url ?? spdx.flatMap { urls[$0] })
    }

    private static func normalized(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) })
    }

    private static let table: [(spdx: String, names: [String])] = [
        ("CC0-1.0", ["CC0-1.0", "CC0: Public Domain", "CC0 1.0", "Creative Commons Zero v1.0 Universal", "CC0"]),
        ("CC-BY-4.0", ["CC-BY-4.0", "CC BY 4.0", "Attribution 4.0 International (CC BY 4.0)", "Creative Commons Attribution 4.0 International"]),
        ("CC-BY-3.0", ["CC-BY-3.0", "CC BY 3.0", "Attribution 3.0 Unported (CC BY 3.0)"]),
        ("CC-BY-SA-4.0", ["CC-BY-SA-4.0", "CC BY-SA 4.0", "Attribution-ShareAlike 4.0 International (CC BY-SA 4.0)"]),
        ("CC-BY-SA-3.0", ["CC-BY-SA-3.0", "CC BY-SA 3.0", "Attribution-ShareAlike 3.0 Unported (CC BY-SA 3.0)"]),
        ("CC-BY-NC-4.0", ["CC-BY-NC-4.0", "CC BY-NC 4.0", "Attribution-NonCommercial 4.0 International (CC BY-NC 4.0)"]),
        ("CC-BY-NC-SA-4.0", ["CC-BY-NC-SA-4.0", "CC BY-NC-SA 4.0", "Attribution-NonCommercial-ShareAlike 4.0 International (CC BY-NC-SA 4.0)"]),
        ("CC-BY-ND-4.0", ["CC-BY-ND-4.0", "CC BY-ND 4.0", "Attribution-NoDerivatives 4.0 International (CC BY-ND 4.0)"]),
        ("CC-BY-NC-ND-4.0", ["CC-BY-NC-ND-4.0", "CC BY-NC-ND 4.0", "Attribution-NonCommercial-NoDerivatives 4.0 International (CC BY-NC-ND 4.0)"]),
        ("ODbL-1.0", ["ODbL-1.0", "ODbL", "Open Database License (ODbL)", "Open Data Commons Open Database License v1.0", "Open Database License (ODbL) v1.0"]),
        ("ODC-By-1.0", ["ODC-By-1.0", "ODC-BY", "Open Data Commons Attribution License (ODC-By) v1.0"]),
        ("PDDL-1.0", ["PDDL-1.0", "PDDL", "Open Data Commons Public Domain Dedication and License (PDDL) v1.0"]),
        ("CDLA-Permissive-1.0", ["CDLA-Permissive-1.0", "Community Data License Agreement - Permissive - Version 1.0"]),
        ("CDLA-Sharing-1.0", ["CDLA-Sharing-1.0", "Community Data License Agreement - Sharing - Version 1.0"]),
        ("GPL-2.0-only", ["GPL-2.0", "GPL 2", "GPL-2.0-only"]),
        ("GPL-3.0-only", ["GPL-3.0", "GPL 3", "GPL-3.0-only"]),
        ("LGPL-3.0-only", ["LGPL-3.0", "LGPL-3.0-only"]),
        ("AGPL-3.0-only", ["AGPL-3.0", "AGPL-3.0-only"]),
        ("MIT", ["MIT", "MIT License"]),
        ("Apache-2.0", ["Apache-2.0", "Apache 2.0", "Apache License 2.0"]),
        ("BSD-3-Clause", ["BSD-3-Clause", "BSD 3-Clause"]),
    ]

    private static let spdxByName: [String: String] = {
        var map: [String: String] = [:]
        for entry in table { for name in entry.names { map[normalized(name)] = entry.spdx } }
        return map
    }()

    private static let urls: [String: String] = [
        "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
        "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
        "CC-BY-3.0": "https://creativecommons.org/licenses/by/3.0/",
        "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
        "CC-BY-SA-3.0": "https://creativecommons.org/licenses/by-sa/3.0/",
        "CC-BY-NC-4.0": "https://creativecommons.org/licenses/by-nc/4.0/",
        "CC-BY-NC-SA-4.0": "https://creativecommons.org/licenses/by-nc-sa/4.0/",
        "CC-BY-ND-4.0": "https://creativecommons.org/licenses/by-nd/4.0/",
        "CC-BY-NC-ND-4.0": "https://creativecommons.org/licenses/by-nc-nd/4.0/",
        "ODbL-1.0": "https://opendatacommons.org/licenses/odbl/1-0/",
        "ODC-By-1.0": "https://opendatacommons.org/licenses/by/1-0/",
        "PDDL-1.0": "https://opendatacommons.org/licenses/pddl/1-0/",
        "CDLA-Permissive-1.0": "https://cdla.dev/permissive-1-0/",
        "CDLA-Sharing-1.0": "https://cdla.dev/sharing-1-0/",
    ]
}
