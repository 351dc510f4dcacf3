namespace TfMnist.Kernels;

/// <summary>A vector count known when the JIT specialises a generic kernel (unused accumulators fold away).</summary>
internal interface IVectorCount { static abstract int Value { get; } }
internal struct One : IVectorCount { public static int Value => 1; }
internal struct Two : IVectorCount { public static int Value => 2; }
internal struct Three : IVectorCount { public static int Value => 3; }
internal struct Four : IVectorCount { public static int Value => 4; }
internal struct Five : IVectorCount { public static int Value => 5; }
internal struct Six : IVectorCount { public static int Value => 6; }
internal struct Seven : IVectorCount { public static int Value => 7; }
internal struct Eight : IVectorCount { public static int Value => 8; }
internal struct Nine : IVectorCount { public static int Value => 9; }
internal struct Ten : IVectorCount { public static int Value => 10; }
internal struct Eleven : IVectorCount { public static int Value => 11; }
internal struct Twelve : IVectorCount { public static int Value => 12; }
internal struct Thirteen : IVectorCount { public static int Value => 13; }
internal struct Fourteen : IVectorCount { public static int Value => 14; }
internal struct Fifteen : IVectorCount { public static int Value => 15; }
internal struct Sixteen : IVectorCount { public static int Value => 16; }
