namespace OfflineSync.Sqlite;

/// <summary>One forward step of the store's schema; applied once, in order, inside the opening transaction.</summary>
/// <param name="Version">The schema version the step produces; versions are 1, 2, 3, … without gaps.</param>
/// <param name="Description">What the step adds, recorded for people reading the file.</param>
/// <param name="Sql">The statements of the step.</param>
internal sealed record SchemaMigration(int Version, string Description, string Sql);
