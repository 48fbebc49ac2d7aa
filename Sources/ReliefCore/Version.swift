public enum ReliefCoreVersion { public static let string = "0.1.0" }
