using System.Globalization;
using OfflineSync.Tests.Model;
using OfflineSync.Tests.Support;

namespace OfflineSync.Sqlite.CrashWriter;

/// <summary>
/// A script of <c>Create</c>/<c>Update</c>/<c>Delete</c> calls on the test model, one call per line.
/// The crash writer runs it against a <see cref="Durability.Full"/> store until it is killed; the
/// durability test replays a prefix of it against an in-memory store to know exactly what the file
/// must hold. Every call is deterministic (proposed string and Guid keys, numeric keys from the
/// store's counter), so both runs queue the same mutations byte for byte.
/// </summary>
/// <remarks>Linked into OfflineSync.Sqlite.Tests: one source for the writer and the test.</remarks>
internal static class CrashScript
{
    /// <summary>Makes a script of <paramref name="count"/> calls that are all valid in order.</summary>
    /// <remarks>
    /// It covers what changes the queue in other ways than an append: updates coalesced into the
    /// pending create or update (S6), updates that reference an item created later (kept apart, S5),
    /// deletes that cancel a never-sent create or drop pending updates (S6), repeated app idempotency
    /// keys (a double click, S6), numeric optimistic keys from the store's counter (S2).
    /// </remarks>
    public static List<string> Generate(int seed, int count)
    {
        var random = new Random(seed);
        var script = new List<string>(count);
        var todos = new List<string>();
        var categories = new List<string>();
        var projects = new List<string>();
        int next = 0;
        string? previous = null;

        string AppKey() => random.Next(3) == 0 ? "app-" + next.ToString(CultureInfo.InvariantCulture) : "-";
        string Pick(List<string> from) => from[random.Next(from.Count)];
        string PickOrNone(List<string> from) => from.Count == 0 || random.Next(3) == 0 ? "-" : Pick(from);

        while (script.Count < count)
        {
            next++;
            string n = next.ToString(CultureInfo.InvariantCulture);
            if (previous is not null && !previous.EndsWith(" -", StringComparison.Ordinal) && random.Next(8) == 0)
            {
                script.Add(previous); // The same app idempotency key again: a double click.
                previous = null;
                continue;
            }

            int roll = random.Next(100);
            string line;
            if (roll < 20 || todos.Count == 0)
            {
                string key = "todo-" + n;
                line = $"create-todo {key} title-{n} {PickOrNone(categories)} {AppKey()}";
                todos.Add(key);
            }
            else if (roll < 28)
            {
                string key = "category-" + n;
                line = $"create-category {key} name-{n} {AppKey()}";
                categories.Add(key);
            }
            else if (roll < 36)
            {
                string handle = "p" + n;
                line = $"create-project {handle} name-{n} {AppKey()}";
                projects.Add(handle);
            }
            else if (roll < 42)
            {
                var guid = new Guid(random.Next(), 1, 7, [8, 9, 10, 11, 12, 13, 14, (byte)random.Next(256)]);
                line = $"create-attachment {guid:D} {PickOrNone(todos)} {PickOrNone(projects)} {AppKey()}";
            }
            else if (roll < 57)
            {
                line = $"update-todo-title {Pick(todos)} title-{n} {AppKey()}";
            }
            else if (roll < 67)
            {
                line = $"update-todo-completed {Pick(todos)} {(random.Next(2) == 0 ? "true" : "false")} {AppKey()}";
            }
            else if (roll < 77 && categories.Count > 0)
            {
                line = $"update-todo-category {Pick(todos)} {Pick(categories)} {AppKey()}";
            }
            else if (roll < 85 && projects.Count > 0)
            {
                line = $"update-project {Pick(projects)} name-{n} {AppKey()}";
            }
            else if (roll < 93)
            {
                string key = Pick(todos);
                todos.Remove(key);
                line = $"delete-todo {key} {AppKey()}";
            }
            else if (projects.Count > 0)
            {
                string handle = Pick(projects);
                projects.Remove(handle);
                line = $"delete-project {handle} {AppKey()}";
            }
            else
            {
                continue;
            }

            script.Add(line);
            previous = line;
        }

        return script;
    }

    /// <summary>Opens a client on <paramref name="store"/> that stays offline and never syncs by itself.</summary>
    /// <param name="store">The store; the client owns it.</param>
    /// <param name="clientId">The client id, or <see langword="null"/> for the store's own.</param>
    /// <param name="maxQueueSize">The queue size past which the oldest mutation is dropped (S7).</param>
    public static TestSync OpenClient(IMutationStore store, string? clientId = null, int maxQueueSize = 10_000) => new(new SyncOptions
    {
        // Never reached: the client is offline, so nothing is pushed and no feed is followed.
        Transport = new ScriptedTransport(),
        Store = store,
        AutoSync = false,
        NetworkMonitor = new Offline(),
        ClientId = clientId,
        MaxQueueSize = maxQueueSize,
        QueueFullPolicy = QueueFullPolicy.DropOldest,
    });

    /// <summary>Runs script lines on one client, remembering the numeric keys the store handed out.</summary>
    public sealed class Runner(TestSync client)
    {
        private readonly Dictionary<string, long> _projects = new(StringComparer.Ordinal);

        /// <summary>Gets the numeric keys the store handed out to the projects created so far.</summary>
        public IEnumerable<long> ProjectKeys => _projects.Values;

        public void Run(string line)
        {
            string[] part = line.Split(' ');
            string? appKey = part[^1] == "-" ? null : part[^1];
            switch (part[0])
            {
                case "create-todo":
                    client.Todos.Create(new Todo { Id = part[1], Title = part[2], CategoryId = OrNull(part[3]) }, appKey);
                    break;
                case "create-category":
                    client.Categories.Create(new Category { Id = part[1], Name = part[2] }, appKey);
                    break;
                case "create-project":
                    // A repeated app key returns the first call's item: the same numeric key.
                    _projects[part[1]] = client.Projects.Create(new Project { Name = part[2] }, appKey).Id;
                    break;
                case "create-attachment":
                    client.Attachments.Create(
                        new Attachment
                        {
                            Id = Guid.Parse(part[1]),
                            FileName = part[1][..8] + ".png",
                            TodoId = OrNull(part[2]),
                            ProjectId = part[3] == "-" ? null : _projects[part[3]],
                            RelatedProjects = part[3] == "-" ? [] : [_projects[part[3]]],
                        },
                        appKey);
                    break;
                case "update-todo-title":
                    client.Todos.Update(part[1], todo => todo.Title = part[2], appKey);
                    break;
                case "update-todo-completed":
                    client.Todos.Update(part[1], todo => todo.Completed = bool.Parse(part[2]), appKey);
                    break;
                case "update-todo-category":
                    client.Todos.Update(part[1], todo => todo.CategoryId = part[2], appKey);
                    break;
                case "update-project":
                    client.Projects.Update(_projects[part[1]], project => project.Name = part[2], appKey);
                    break;
                case "delete-todo":
                    client.Todos.Delete(part[1], appKey);
                    break;
                case "delete-project":
                    client.Projects.Delete(_projects[part[1]], appKey);
                    break;
                default:
                    throw new FormatException($"Unknown script line '{line}'.");
            }
        }

        private static string? OrNull(string value) => value == "-" ? null : value;
    }

    private sealed class Offline : INetworkMonitor
    {
        public bool IsOnline => false;

        public event Action<bool>? OnlineChanged
        {
            add { }
            remove { }
        }
    }
}
