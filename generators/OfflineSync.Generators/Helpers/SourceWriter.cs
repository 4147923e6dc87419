using System;
using System.Text;

namespace OfflineSync.Generators;

/// <summary>An indentation-aware writer of C# source.</summary>
internal sealed class SourceWriter
{
    private const string IndentUnit = "    ";
    private readonly StringBuilder _builder = new();
    private int _indent;

    public void WriteLine() => _builder.Append('\n');

    public void WriteLine(string line)
    {
        if (line.Length == 0)
        {
            _builder.Append('\n');
            return;
        }

        for (int i = 0; i < _indent; i++)
        {
            _builder.Append(IndentUnit);
        }

        _builder.Append(line).Append('\n');
    }

    /// <summary>Writes a multi-line chunk (a raw string), indenting every line.</summary>
    public void WriteLines(string text)
    {
        foreach (string line in text.Replace("\r\n", "\n").Split('\n'))
        {
            WriteLine(line);
        }
    }

    /// <summary>Writes <paramref name="header"/> (if any) and opens a brace block.</summary>
    public void OpenBlock(string header)
    {
        if (header.Length > 0)
        {
            WriteLine(header);
        }

        OpenBrace();
    }

    public void OpenBrace()
    {
        WriteLine("{");
        _indent++;
    }

    /// <summary>Indents without writing a brace, after a raw chunk that opened one.</summary>
    public void Indent() => _indent++;

    /// <summary>Unindents without writing a brace, before a raw chunk that closes one.</summary>
    public void Unindent() => _indent = Math.Max(0, _indent - 1);

    public void CloseBrace(string suffix = "")
    {
        _indent = Math.Max(0, _indent - 1);
        WriteLine("}" + suffix);
    }

    public override string ToString() => _builder.ToString();
}
