using System.Text;

namespace OfflineSync.Server.PostgreSql;

/// <summary>
/// The advisory locks of one store schema, as the two-key form <c>pg_advisory_xact_lock(class, schema)</c>:
/// the class says what is locked, the schema's hash keeps stores in different schemas of one database apart.
/// Every instance must compute the same keys, so the hash is FNV-1a, not the per-process string hash.
/// </summary>
internal readonly record struct AdvisoryLocks(int Migration, int ChangeLog, int Schema)
{
    private const int MigrationClass = 0x4F53_0001;
    private const int ChangeLogClass = 0x4F53_0002;

    public static AdvisoryLocks For(string schema)
    {
        uint hash = 2166136261;
        foreach (byte b in Encoding.UTF8.GetBytes(schema))
        {
            hash = (hash ^ b) * 16777619;
        }

        return new AdvisoryLocks(MigrationClass, ChangeLogClass, unchecked((int)hash));
    }
}
