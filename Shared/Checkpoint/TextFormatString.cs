using System.Text;

namespace TfMnist.Checkpoint;

/// <summary>
/// String literals of the protobuf text format, as TensorFlow's checkpoint state file uses them:
/// C escapes (\n, \t, \", octal \ooo, hex \xhh), with every non-printable or non-ASCII byte of
/// the UTF-8 encoding written as octal, exactly as protobuf's CEscape does by default.
/// </summary>
internal static class TextFormatString
{
    public static string Quote(string value)
    {
        var text = new StringBuilder("\"");
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            text.Append(b switch
            {
                (byte)'\n' => "\\n",
                (byte)'\r' => "\\r",
                (byte)'\t' => "\\t",
                (byte)'"' => "\\\"",
                (byte)'\'' => "\\'",
                (byte)'\\' => "\\\\",
                < 0x20 or >= 0x7f => "\\" + Convert.ToString(b, 8).PadLeft(3, '0'),
                _ => ((char)b).ToString(),
            });
        }
        return text.Append('"').ToString();
    }

    /// <summary>
    /// Decodes the body of a literal (without its quotes) into bytes, then UTF-8. Returns null
    /// with <paramref name="error"/> set when an escape is malformed.
    /// </summary>
    public static string? Unescape(ReadOnlySpan<char> body, out string? error)
    {
        error = null;
        var bytes = new List<byte>();
        for (int i = 0; i < body.Length; i++)
        {
            char c = body[i];
            if (c != '\\')
            {
                // Unescaped text is taken as UTF-8, whatever characters it holds.
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
                continue;
            }
            if (++i == body.Length)
            {
                error = "string ends with a lone backslash";
                return null;
            }
            c = body[i];
            switch (c)
            {
                case 'n': bytes.Add((byte)'\n'); break;
                case 'r': bytes.Add((byte)'\r'); break;
                case 't': bytes.Add((byte)'\t'); break;
                case 'a': bytes.Add(0x07); break;
                case 'b': bytes.Add(0x08); break;
                case 'f': bytes.Add(0x0c); break;
                case 'v': bytes.Add(0x0b); break;
                case '\\' or '\'' or '"' or '?': bytes.Add((byte)c); break;
                case >= '0' and <= '7':
                    int octal = 0, digits = 0;
                    for (; digits < 3 && i < body.Length && body[i] is >= '0' and <= '7'; digits++, i++)
                        octal = octal * 8 + (body[i] - '0');
                    i--;
                    if (octal > 0xff)
                    {
                        error = $"octal escape \\{Convert.ToString(octal, 8)} exceeds a byte";
                        return null;
                    }
                    bytes.Add((byte)octal);
                    break;
                case 'x':
                    int hex = 0, hexDigits = 0;
                    for (i++; hexDigits < 2 && i < body.Length && char.IsAsciiHexDigit(body[i]); hexDigits++, i++)
                        hex = hex * 16 + Convert.ToInt32(body[i].ToString(), 16);
                    i--;
                    if (hexDigits == 0)
                    {
                        error = "\\x escape without hex digits";
                        return null;
                    }
                    bytes.Add((byte)hex);
                    break;
                default:
                    error = $"unknown escape \\{c}";
                    return null;
            }
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
