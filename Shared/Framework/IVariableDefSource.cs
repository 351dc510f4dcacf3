namespace TfMnist.Framework;

/// <summary>A collection item that MetaGraphDef stores as a serialized VariableDef (TF's variables).</summary>
public interface IVariableDefSource
{
    Proto.VariableDef ToVariableDef();
}
