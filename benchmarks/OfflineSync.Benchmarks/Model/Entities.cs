namespace OfflineSync.Benchmarks.Model;

[Syncable("categories")]
public partial class Category
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";
}

[Syncable("users")]
public partial class User
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";
}

[Syncable("projects")]
public partial class Project
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";
}

[Syncable("tags")]
public partial class Tag
{
    public string Id { get; set; } = "";

    public string Label { get; set; } = "";
}

/// <summary>The typed client of the benchmark model.</summary>
[SyncClient]
public partial class BenchSync
{
}
