using System.Globalization;

namespace TfMnist.Checkpoint;

/// <summary>
/// Parses the protobuf text form of TensorFlow's CheckpointState: <c>name: value</c> pairs
/// separated by whitespace (optionally ';' or ','), '#' comments, string values in single or
/// double quotes (adjacent literals concatenate, as in protobuf). Only the fields of
/// CheckpointState are accepted; the timestamp fields TF 2 adds are read and ignored.
/// </summary>
internal sealed class CheckpointStateParser
{
    private readonly string _text;
    private readonly string _source;
    private int _position;

    private CheckpointStateParser(string text, string source)
    {
        _text = text;
        _source = source;
    }

    public static CheckpointState Parse(string text, string source)
    {
        var parser = new CheckpointStateParser(text, source);
        string? model = null;
        var all = new List<string>();
        while (parser.SkipSpace())
        {
            string field = parser.ReadIdentifier();
            parser.Expect(':');
            switch (field)
            {
                case "model_checkpoint_path":
                    if (model is not null)
                        throw parser.Error("model_checkpoint_path is given twice");
                    model = parser.ReadString();
                    break;
                case "all_model_checkpoint_paths":
                    all.Add(parser.ReadString());
                    break;
                case "all_model_checkpoint_timestamps" or "last_preserved_timestamp":
                    parser.ReadNumber();
                    break;
                default:
                    throw parser.Error($"unknown field \"{field}\"");
            }
            parser.SkipSpace();
            if (parser.Peek() is ';' or ',')
                parser._position++;
        }
        return new CheckpointState(model ?? "", all);
    }

    /// <summary>Skips whitespace and comments; false at end of input.</summary>
    private bool SkipSpace()
    {
        while (_position < _text.Length)
        {
            char c = _text[_position];
            if (c == '#')
            {
                while (_position < _text.Length && _text[_position] != '\n')
                    _position++;
            }
            else if (char.IsWhiteSpace(c))
            {
                _position++;
            }
            else
            {
                return true;
            }
        }
        return false;
    }

    private char? Peek() => _position < _text.Length ? _text[_position] : null;

    private string ReadIdentifier()
    {
        int start = _position;
        while (_position < _text.Length && (char.IsAsciiLetterOrDigit(_text[_position]) || _text[_position] == '_'))
            _position++;
        if (_position == start)
            throw Error($"expected a field name, found '{_text[_position]}'");
        return _text[start.._position];
    }

    private void Expect(char wanted)
    {
        SkipSpace();
        if (Peek() != wanted)
            throw Error($"expected '{wanted}'");
        _position++;
    }

    private string ReadString()
    {
        SkipSpace();
        string result = "";
        bool any = false;
        while (Peek() is '"' or '\'')
        {
            char quote = _text[_position];
            int start = ++_position;
            while (_position < _text.Length && _text[_position] != quote && _text[_position] != '\n')
                _position += _text[_position] == '\\' ? 2 : 1;
            if (_position >= _text.Length || _text[_position] != quote)
                throw Error("unterminated string");
            string? part = TextFormatString.Unescape(_text.AsSpan(start, _position - start), out string? problem);
            if (part is null)
                throw Error(problem!);
            _position++;
            result += part;
            any = true;
            SkipSpace();
        }
        if (!any)
            throw Error("expected a quoted string");
        return result;
    }

    private void ReadNumber()
    {
        SkipSpace();
        int start = _position;
        while (_position < _text.Length && (char.IsAsciiLetterOrDigit(_text[_position]) || _text[_position] is '.' or '-' or '+'))
            _position++;
        string token = _text[start.._position];
        if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            && token is not ("inf" or "-inf" or "nan"))
            throw Error($"expected a number, found \"{token}\"");
    }

    private CheckpointFormatException Error(string problem)
    {
        int line = 1 + _text.AsSpan(0, Math.Min(_position, _text.Length)).Count('\n');
        return new CheckpointFormatException(_source, $"line {line}: {problem}.");
    }
}
