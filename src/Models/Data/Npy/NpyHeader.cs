using System.Globalization;
using System.Text;

namespace Scratch.Models.Data;

/// <summary>
/// The header of a .npy file: a Python dict literal such as
/// <c>{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3, 4), }</c>, padded with spaces and
/// ended by a newline. Parsed here by a tiny reader of exactly that grammar (strings, True/False,
/// tuples of integers) rather than by anything that evaluates Python, because the file is untrusted.
/// </summary>
internal static class NpyHeader
{
    /// <summary>The three fields numpy requires: the dtype, the memory order and the shape.</summary>
    internal readonly record struct Fields(string Descr, bool FortranOrder, long[] Shape);

    // numpy pads the whole header (magic, version, length, dict, newline) to a multiple of 64 bytes,
    // so the data that follows is aligned for memory mapping.
    private const int Alignment = 64;

    /// <summary>The fields of <paramref name="text"/>; a DataFormatException naming <paramref name="path"/> and the field when it is not a valid header.</summary>
    public static Fields Parse(string path, string text)
    {
        var reader = new Reader(path, text);
        var values = reader.Dict();
        foreach (string key in values.Keys)
        {
            if (key is not ("descr" or "fortran_order" or "shape"))
                throw new DataFormatException(path, $"header has the unknown field '{key}'; a .npy header has exactly 'descr', 'fortran_order' and 'shape'");
        }
        return new Fields(
            Field<string>(path, values, "descr", "a string such as '|u1'"),
            Field<bool>(path, values, "fortran_order", "True or False"),
            Field<long[]>(path, values, "shape", "a tuple of integers such as (60000, 28, 28)"));
    }

    /// <summary>
    /// The bytes of a version 1.0 preamble and header for <paramref name="descr"/> and
    /// <paramref name="shape"/>, C order, padded as numpy pads them.
    /// </summary>
    public static byte[] Format(string descr, int[] shape)
    {
        // numpy writes a 1-tuple as "(5,)" and every tuple with ", " between items.
        string tuple = shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {tuple}, }}";
        int unpadded = NpyFile.Magic.Length + 2 + 2 + dict.Length + 1;
        int padding = (Alignment - unpadded % Alignment) % Alignment;
        string header = dict + new string(' ', padding) + "\n";

        var bytes = new byte[NpyFile.Magic.Length + 4 + header.Length];
        NpyFile.Magic.CopyTo(bytes);
        bytes[6] = 1; // version 1.0: a 2-byte header length, enough for any shape we write
        bytes[7] = 0;
        bytes[8] = (byte)(header.Length & 0xFF);
        bytes[9] = (byte)(header.Length >> 8);
        Encoding.ASCII.GetBytes(header, bytes.AsSpan(10));
        return bytes;
    }

    private static T Field<T>(string path, Dictionary<string, object> values, string key, string expected)
    {
        if (!values.TryGetValue(key, out var value))
            throw new DataFormatException(path, $"header has no '{key}' field");
        if (value is not T typed)
            throw new DataFormatException(path, $"header field '{key}' is {Show(value)}; expected {expected}");
        return typed;
    }

    private static string Show(object value) => value switch
    {
        string s => $"'{s}'",
        bool b => b ? "True" : "False",
        long[] t => "(" + string.Join(", ", t) + ")",
        _ => value.ToString() ?? "?",
    };

    // A cursor over the dict literal. Each method reads one construct and leaves the cursor after it.
    private sealed class Reader(string path, string text)
    {
        private int _at;

        public Dictionary<string, object> Dict()
        {
            var values = new Dictionary<string, object>(StringComparer.Ordinal);
            Expect('{', "the header to start with '{'");
            while (Peek() != '}')
            {
                string key = String("a field name in quotes");
                Expect(':', $"':' after '{key}'");
                object value = Value(key);
                if (!values.TryAdd(key, value))
                    throw new DataFormatException(path, $"header has the field '{key}' twice");
                if (Peek() == ',') _at++;
                else if (Peek() != '}') throw Fail($"',' or '}}' after the value of '{key}'");
            }
            _at++;
            if (text.AsSpan(_at).Trim().Length != 0)
                throw Fail("nothing but spaces after the closing '}'");
            return values;
        }

        private object Value(string key)
        {
            char c = Peek();
            if (c is '\'' or '"') return String($"a value for '{key}'");
            if (c == '(') return Tuple(key);
            if (Word("True")) return true;
            if (Word("False")) return false;
            throw Fail($"a string, True, False or a tuple as the value of '{key}'");
        }

        // Python string literal without escapes: numpy's descr and keys never need them.
        private string String(string what)
        {
            char quote = Peek();
            if (quote is not ('\'' or '"')) throw Fail(what);
            int end = text.IndexOf(quote, _at + 1);
            if (end < 0) throw Fail($"a closing {quote} for {what}");
            string s = text[(_at + 1)..end];
            _at = end + 1;
            return s;
        }

        // (a, b, c) or (a,) or (): non-negative integers are checked by the caller, which knows the file's size.
        private long[] Tuple(string key)
        {
            var items = new List<long>();
            _at++;
            while (Peek() != ')')
            {
                int start = _at;
                if (_at < text.Length && text[_at] == '-') _at++;
                while (_at < text.Length && char.IsAsciiDigit(text[_at])) _at++;
                string digits = text[start.._at];
                if (_at < text.Length && text[_at] == 'L') _at++; // Python 2's long suffix, as old numpy wrote it
                if (!long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n))
                {
                    throw digits.Length > 1 && digits.TrimStart('-').All(char.IsAsciiDigit)
                        ? new DataFormatException(path, $"header field '{key}' has the size {digits}, too large")
                        : Fail($"an integer in the tuple of '{key}'");
                }
                items.Add(n);
                if (Peek() == ',') _at++;
                else if (Peek() != ')') throw Fail($"',' or ')' in the tuple of '{key}'");
            }
            _at++;
            return items.ToArray();
        }

        private bool Word(string word)
        {
            if (string.CompareOrdinal(text, _at, word, 0, word.Length) != 0) return false;
            _at += word.Length;
            return true;
        }

        private void Expect(char c, string what)
        {
            if (Peek() != c) throw Fail(what);
            _at++;
        }

        // The next character that is not a space; '\0' at the end.
        private char Peek()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at])) _at++;
            return _at < text.Length ? text[_at] : '\0';
        }

        private DataFormatException Fail(string expected)
        {
            string found = _at < text.Length ? $"'{text[_at]}' at character {_at}" : "the end";
            return new DataFormatException(path, $"header is not a valid .npy dict: expected {expected}, found {found}");
        }
    }
}
