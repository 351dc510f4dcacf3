namespace TfMnist.Checkpoint.Table;

/// <summary>One key/value pair of a sorted table.</summary>
public readonly record struct TableEntry(byte[] Key, byte[] Value);
