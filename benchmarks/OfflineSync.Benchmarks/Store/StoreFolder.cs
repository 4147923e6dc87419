namespace OfflineSync.Benchmarks.Store;

/// <summary>A folder for store files under the system temp path (the same disk for every file of a run); deleted on dispose.</summary>
internal sealed class StoreFolder : IDisposable
{
    public StoreFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "offlinesync-benchmarks", Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Deletes a store file and the WAL files SQLite keeps beside it.</summary>
    public void Delete(string name)
    {
        foreach (string suffix in (string[])["", "-wal", "-shm"])
        {
            System.IO.File.Delete(File(name) + suffix);
        }
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
