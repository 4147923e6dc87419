namespace OfflineSync.Sqlite.Tests;

/// <summary>
/// A file that is not a store this code can use is refused with a <see cref="SyncStoreException"/>
/// that says what the file is and what to do, and it is left byte for byte as it was (issue 4:
/// "opening a corrupt or foreign file fails with a clear SyncStoreException and leaves the file untouched").
/// </summary>
public sealed class StoreFileRefusalTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Open_RandomBytes_RefusesAsNotSqliteAndLeavesTheFile()
    {
        string path = _folder.File("photo.jpg");
        var bytes = new byte[10_000];
        new Random(42).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);

        SyncStoreException refused = AssertRefusedUntouched(path);

        Assert.Contains("it is not a SQLite database", refused.Message, StringComparison.Ordinal);
        Assert.Contains("move this file away and let OfflineSync create a new store", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_FileShorterThanTheSqliteHeader_RefusesAsNotSqlite()
    {
        string path = _folder.File();
        File.WriteAllBytes(path, "SQLite fo"u8.ToArray());

        SyncStoreException refused = AssertRefusedUntouched(path);

        Assert.Contains("it is not a SQLite database", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_TruncatedStore_RefusesAsDamagedAndLeavesTheFile()
    {
        string path = _folder.File();
        StoreFiles.CreateStore(path, mutations: 500);
        byte[] whole = File.ReadAllBytes(path);
        File.WriteAllBytes(path, whole[..(whole.Length / 3)]);

        SyncStoreException refused = AssertRefusedUntouched(path);

        Assert.Contains("is a damaged SQLite database", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Restore it from a backup", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_StoreWithAGarbledPage_RefusesAsDamagedAndLeavesTheFile()
    {
        string path = _folder.File();
        StoreFiles.CreateStore(path, mutations: 500);
        byte[] bytes = File.ReadAllBytes(path);
        int pageSize = (bytes[16] << 8) | bytes[17];
        new Random(7).NextBytes(bytes.AsSpan(pageSize, pageSize)); // Page 2 onwards holds the tables.
        File.WriteAllBytes(path, bytes);

        SyncStoreException refused = AssertRefusedUntouched(path);

        Assert.Contains("is a damaged SQLite database", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_AnotherApplicationsDatabase_RefusesNamingItsTablesAndLeavesTheFile()
    {
        string path = _folder.File("shop.db");
        StoreFiles.Execute(path, "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); CREATE TABLE orders (id INTEGER PRIMARY KEY); INSERT INTO customers (name) VALUES ('Ada')");

        SyncStoreException refused = AssertRefusedUntouched(path);

        Assert.Contains("is a SQLite database of another application with tables customers, orders, not an OfflineSync store", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Give the OfflineSync store a file of its own", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_DatabaseWithTheTablesOfAStoreButAnotherApplicationId_Refuses()
    {
        // The application_id header field is the marker, not the table names.
        string path = _folder.File();
        StoreFiles.CreateStore(path, mutations: 1);
        StoreFiles.Execute(path, "PRAGMA application_id = 1234");

        SyncStoreException refused = AssertRefusedUntouched(path);

        Assert.Contains("(application_id 0x000004D2)", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_MarkedAsAStoreWithoutSchemaVersion_RefusesAsDamaged()
    {
        string path = _folder.File();
        StoreFiles.CreateStore(path, mutations: 1);
        StoreFiles.Execute(path, "DROP TABLE schema_version");

        SyncStoreException refused = AssertRefusedUntouched(path);

        Assert.Contains("it is marked as an OfflineSync store but has no schema_version table", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_Directory_Refuses()
    {
        SyncStoreException refused = Assert.Throws<SyncStoreException>(() => SqliteMutationStore.Open(_folder.Path));

        Assert.Contains("is a directory, not an OfflineSync store file", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_EmptyFile_BecomesANewStore()
    {
        // An empty file is how many apps reserve a path; SQLite treats it as an empty database.
        string path = _folder.File();
        File.WriteAllBytes(path, []);

        using SqliteMutationStore store = SqliteMutationStore.Open(path);
        store.Append(Mutations.Create(1));

        Assert.Single(store.Load().Pending);
    }

    [Fact]
    public void Open_ExistingStoreUnderAPathWithUriCharacters_Reopens()
    {
        // The inspector reads a closed store through a file: URI; the path must survive the escaping.
        string folder = System.IO.Path.Combine(_folder.Path, "a b#c%d?e");
        Directory.CreateDirectory(folder);
        string path = System.IO.Path.Combine(folder, "store 1.db");
        StoreFiles.CreateStore(path, mutations: 2);
        Assert.False(File.Exists(path + "-wal")); // Closed cleanly: the inspector takes the URI path.

        using SqliteMutationStore store = SqliteMutationStore.Open(path);

        Assert.Equal(2, store.Load().Pending.Count);
    }

    [Fact]
    public void Open_RefusedFile_StaysRefusedOnTheNextAttempt()
    {
        // Nothing of the first attempt (a -wal, a half-written schema) makes the second one succeed.
        string path = _folder.File("shop.db");
        StoreFiles.Execute(path, "CREATE TABLE customers (id INTEGER PRIMARY KEY)");

        AssertRefusedUntouched(path);
        AssertRefusedUntouched(path);
    }

    /// <summary>Asserts the file is refused, says which file, and is left byte for byte with nothing beside it.</summary>
    private SyncStoreException AssertRefusedUntouched(string path)
    {
        byte[] before = File.ReadAllBytes(path);
        string[] filesBefore = Directory.GetFiles(_folder.Path);

        SyncStoreException refused = Assert.Throws<SyncStoreException>(() => SqliteMutationStore.Open(path));

        Assert.Contains($"'{path}'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(filesBefore, Directory.GetFiles(_folder.Path));
        return refused;
    }
}
