using System.Globalization;
using OfflineSync;
using OfflineSync.Sqlite.CrashWriter;
using OfflineSync.Tests.Model;

// Usage: OfflineSync.Sqlite.CrashWriter <store file> <script file>
// Runs the script's calls one by one against a Durability.Full store and writes "ok <n>" to stdout
// after call n has returned: the durability test kills this process with SIGKILL at a random moment
// and then checks that the file holds every call it was told about (S4).
if (args.Length != 2)
{
    Console.Error.WriteLine("Usage: OfflineSync.Sqlite.CrashWriter <store file> <script file>");
    return 2;
}

string[] script = File.ReadAllLines(args[1]);
await using TestSync client = CrashScript.OpenClient(SqliteMutationStore.Open(args[0], new SqliteMutationStoreOptions { Durability = Durability.Full }));
var runner = new CrashScript.Runner(client);
Console.Out.WriteLine("ready");
Console.Out.Flush();
for (int i = 0; i < script.Length; i++)
{
    runner.Run(script[i]);
    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ok {i + 1}"));
    Console.Out.Flush();
}

Console.Out.WriteLine("done");
return 0;
