public enum AnalysisTracesVersion { public static let string = "0.1.0" }
