/// A Preservica double for tests and the demo (being written).
public enum PreservicaSimulatorPlaceholder {}
