using System.Globalization;

namespace OfflineSync.Chaos;

/// <summary>The command line of a client process: <c>--name value</c> pairs.</summary>
internal sealed record ClientArguments(
    string Mode,
    string ClientId,
    Uri Server,
    string Store,
    string Journal,
    int Seed,
    int Incarnation,
    ConflictStrategy Strategy)
{
    public static ClientArguments Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        string Get(string name) => values.TryGetValue(name, out string? value) ? value : throw new ArgumentException($"Missing --{name}.");
        return new ClientArguments(
            Get("mode"),
            Get("client"),
            new Uri(Get("server")),
            Get("store"),
            Get("journal"),
            int.Parse(Get("seed"), CultureInfo.InvariantCulture),
            int.Parse(Get("incarnation"), CultureInfo.InvariantCulture),
            Enum.Parse<ConflictStrategy>(Get("strategy")));
    }
}
