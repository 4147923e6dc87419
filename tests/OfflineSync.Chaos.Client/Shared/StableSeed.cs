namespace OfflineSync.Chaos;

/// <summary>
/// Seeds derived from the run's seed the same way in every process and every run (unlike
/// <see cref="HashCode"/>, which is randomized per process), so a seed replays a run.
/// </summary>
public static class StableSeed
{
    /// <summary>Mixes the run's seed, a name and a number (FNV-1a over their text).</summary>
    public static int Of(int seed, string name, int number = 0)
    {
        uint hash = 2166136261;
        foreach (char c in $"{seed}/{name}/{number}")
        {
            hash = (hash ^ c) * 16777619;
        }

        return (int)(hash & 0x7FFFFFFF);
    }
}
