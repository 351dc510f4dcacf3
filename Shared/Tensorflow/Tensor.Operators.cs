using Tensorflow.NumPy;

namespace Tensorflow;

// Python's operators as TF 1.x names them: `+` is "add", `/` is "truediv" (RealDiv), `>` is "Greater";
// a .NET number on either side becomes a Const "x"/"y" of the tensor's dtype inside the op's scope.
public sealed partial class Tensor
{
    public static Tensor operator +(Tensor x, Tensor y) => ops.binary("Add", "add", x, y);
    public static Tensor operator +(Tensor x, RefVariable y) => ops.binary("Add", "add", x, y);
    public static Tensor operator +(Tensor x, NDArray y) => ops.binary("Add", "add", x, y);
    public static Tensor operator +(Tensor x, float y) => ops.binary("Add", "add", x, y);
    public static Tensor operator +(Tensor x, double y) => ops.binary("Add", "add", x, y);
    public static Tensor operator +(Tensor x, int y) => ops.binary("Add", "add", x, y);
    public static Tensor operator +(float x, Tensor y) => ops.binary("Add", "add", x, y);
    public static Tensor operator +(double x, Tensor y) => ops.binary("Add", "add", x, y);
    public static Tensor operator +(int x, Tensor y) => ops.binary("Add", "add", x, y);

    public static Tensor operator -(Tensor x, Tensor y) => ops.binary("Sub", "sub", x, y);
    public static Tensor operator -(Tensor x, RefVariable y) => ops.binary("Sub", "sub", x, y);
    public static Tensor operator -(Tensor x, NDArray y) => ops.binary("Sub", "sub", x, y);
    public static Tensor operator -(Tensor x, float y) => ops.binary("Sub", "sub", x, y);
    public static Tensor operator -(Tensor x, double y) => ops.binary("Sub", "sub", x, y);
    public static Tensor operator -(Tensor x, int y) => ops.binary("Sub", "sub", x, y);
    public static Tensor operator -(float x, Tensor y) => ops.binary("Sub", "sub", x, y);
    public static Tensor operator -(double x, Tensor y) => ops.binary("Sub", "sub", x, y);
    public static Tensor operator -(int x, Tensor y) => ops.binary("Sub", "sub", x, y);

    public static Tensor operator *(Tensor x, Tensor y) => ops.binary("Mul", "mul", x, y);
    public static Tensor operator *(Tensor x, RefVariable y) => ops.binary("Mul", "mul", x, y);
    public static Tensor operator *(Tensor x, NDArray y) => ops.binary("Mul", "mul", x, y);
    public static Tensor operator *(Tensor x, float y) => ops.binary("Mul", "mul", x, y);
    public static Tensor operator *(Tensor x, double y) => ops.binary("Mul", "mul", x, y);
    public static Tensor operator *(Tensor x, int y) => ops.binary("Mul", "mul", x, y);
    public static Tensor operator *(float x, Tensor y) => ops.binary("Mul", "mul", x, y);
    public static Tensor operator *(double x, Tensor y) => ops.binary("Mul", "mul", x, y);
    public static Tensor operator *(int x, Tensor y) => ops.binary("Mul", "mul", x, y);

    public static Tensor operator /(Tensor x, Tensor y) => ops.binary("RealDiv", "truediv", x, y);
    public static Tensor operator /(Tensor x, RefVariable y) => ops.binary("RealDiv", "truediv", x, y);
    public static Tensor operator /(Tensor x, NDArray y) => ops.binary("RealDiv", "truediv", x, y);
    public static Tensor operator /(Tensor x, float y) => ops.binary("RealDiv", "truediv", x, y);
    public static Tensor operator /(Tensor x, double y) => ops.binary("RealDiv", "truediv", x, y);
    public static Tensor operator /(Tensor x, int y) => ops.binary("RealDiv", "truediv", x, y);
    public static Tensor operator /(float x, Tensor y) => ops.binary("RealDiv", "truediv", x, y);
    public static Tensor operator /(double x, Tensor y) => ops.binary("RealDiv", "truediv", x, y);
    public static Tensor operator /(int x, Tensor y) => ops.binary("RealDiv", "truediv", x, y);

    public static Tensor operator -(Tensor x) => Binding.tf.negative(x);

    public static Tensor operator >(Tensor x, Tensor y) => ops.binary("Greater", "Greater", x, y);
    public static Tensor operator <(Tensor x, Tensor y) => ops.binary("Less", "Less", x, y);
    public static Tensor operator >=(Tensor x, Tensor y) => ops.binary("GreaterEqual", "GreaterEqual", x, y);
    public static Tensor operator <=(Tensor x, Tensor y) => ops.binary("LessEqual", "LessEqual", x, y);
    public static Tensor operator >(Tensor x, float y) => ops.binary("Greater", "Greater", x, y);
    public static Tensor operator <(Tensor x, float y) => ops.binary("Less", "Less", x, y);
    public static Tensor operator >=(Tensor x, float y) => ops.binary("GreaterEqual", "GreaterEqual", x, y);
    public static Tensor operator <=(Tensor x, float y) => ops.binary("LessEqual", "LessEqual", x, y);
    public static Tensor operator >(Tensor x, double y) => ops.binary("Greater", "Greater", x, y);
    public static Tensor operator <(Tensor x, double y) => ops.binary("Less", "Less", x, y);
    public static Tensor operator >=(Tensor x, double y) => ops.binary("GreaterEqual", "GreaterEqual", x, y);
    public static Tensor operator <=(Tensor x, double y) => ops.binary("LessEqual", "LessEqual", x, y);
    public static Tensor operator >(Tensor x, int y) => ops.binary("Greater", "Greater", x, y);
    public static Tensor operator <(Tensor x, int y) => ops.binary("Less", "Less", x, y);
    public static Tensor operator >=(Tensor x, int y) => ops.binary("GreaterEqual", "GreaterEqual", x, y);
    public static Tensor operator <=(Tensor x, int y) => ops.binary("LessEqual", "LessEqual", x, y);
}
