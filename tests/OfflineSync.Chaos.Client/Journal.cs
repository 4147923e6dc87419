using System.Text;
using System.Text.Json;

namespace OfflineSync.Chaos;

/// <summary>
/// The append-only journal of one client: each entry is one line, handed to the operating system
/// in one write before <see cref="Write"/> returns, so a SIGKILL after it cannot lose it.
/// </summary>
internal sealed class Journal : IDisposable
{
    private readonly FileStream _file;
    private readonly Lock _gate = new();

    public Journal(string path, int incarnation)
    {
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        Incarnation = incarnation;
    }

    public int Incarnation { get; }

    public void Write(JournalEntry entry)
    {
        byte[] line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entry with { Incarnation = Incarnation }, JournalEntry.Json) + "\n");
        lock (_gate)
        {
            _file.Write(line);
        }
    }

    public void Dispose() => _file.Dispose();
}
