namespace OfflineSync.Generators.Tests.Aot;

/// <summary>
/// A small app as a Native AOT user writes it: a model with string, Guid and long keys, nested objects, lists,
/// <c>[SyncIgnore]</c> and a numeric <c>[SyncVersion]</c>, listed in a <c>JsonSerializerContext</c>; one entity left
/// out of it on purpose; a <c>[SyncClient]</c>; and a program that works offline, syncs against a loopback
/// transport and prints what the server received and how keys were remapped.
/// </summary>
internal static class AotApp
{
    public const string Model = """
        using System;
        using System.Collections.Generic;
        using System.Text.Json.Serialization;
        using OfflineSync;

        namespace AotApp.Model;

        [Syncable]
        public partial class Notebook
        {
            public Guid Id { get; set; }

            public string Title { get; set; } = "";
        }

        [Syncable]
        public partial class Note
        {
            public long Id { get; set; }

            public string Title { get; set; } = "";

            public string? Summary { get; set; }

            [SyncVersion]
            public long Version { get; set; }

            [References(typeof(Notebook))]
            public Guid NotebookId { get; set; }

            [References(typeof(Note))]
            public List<long> RelatedNoteIds { get; set; } = new();

            [References(typeof(Tag))]
            public IReadOnlyList<string> TagIds { get; set; } = [];

            public List<string> Labels { get; set; } = new();

            public NoteDetails? Details { get; set; }
        }

        public sealed class NoteDetails
        {
            public string Body { get; set; } = "";

            [SyncIgnore]
            public string? LocalDraft { get; set; }
        }

        [Syncable]
        public partial class Tag
        {
            public string Id { get; set; } = "";

            public string Label { get; set; } = "";
        }

        /// <summary>Left out of the context on purpose: OSYNC010 at build time, a clear error at run time.</summary>
        [Syncable]
        public partial class Unlisted
        {
            public string Id { get; set; } = "";
        }

        [JsonSerializable(typeof(Notebook))]
        [JsonSerializable(typeof(Note))]
        [JsonSerializable(typeof(Tag))]
        internal partial class ModelJsonContext : JsonSerializerContext;

        [SyncClient]
        public partial class AppSync;
        """;

    public const string Program = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Runtime.CompilerServices;
        using System.Text;
        using System.Text.Json;
        using System.Threading;
        using System.Threading.Tasks;
        using AotApp.Model;
        using OfflineSync;

        var server = new LoopbackServer();
        await using var sync = new AppSync(new SyncOptions
        {
            Transport = server,
            Store = new InMemoryMutationStore(),
            AutoSync = false,
            BatchSize = 1,
            ClientId = "aot",
        });

        Notebook notebook = sync.Notebooks.Create(new Notebook { Title = "Work" });
        Tag tag = sync.Tags.Create(new Tag { Label = "urgent" });
        Note first = sync.Notes.Create(new Note { Title = "First", NotebookId = notebook.Id });
        Note note = sync.Notes.Create(new Note
        {
            Title = "Ship",
            NotebookId = notebook.Id,
            RelatedNoteIds = [first.Id],
            TagIds = [tag.Id],
            Details = new NoteDetails { Body = "draft", LocalDraft = "never sent" },
        });
        sync.Notes.Update(note.Id, new NotePatch { Details = new NoteDetails { Body = "final", LocalDraft = "never sent" } });
        sync.Notes.Update(note.Id, n => n.Labels.Add("release"));
        Console.WriteLine("offline: " + sync.Notes.Items.Count + " notes, reflection " + (JsonSerializer.IsReflectionEnabledByDefault ? "on" : "off"));

        await sync.SyncAsync();

        Notebook syncedNotebook = sync.Notebooks.Items.Single();
        Note syncedFirst = sync.Notes.Items.Single(n => n.Title == "First");
        Note synced = sync.Notes.Items.Single(n => n.Title == "Ship");
        Console.WriteLine($"notebook {notebook.Id} -> {syncedNotebook.Id}");
        Console.WriteLine($"note {note.Id} -> {synced.Id} version {synced.Version}");
        Console.WriteLine($"references notebook={synced.NotebookId == syncedNotebook.Id} related={synced.RelatedNoteIds.Single() == syncedFirst.Id} tag={synced.TagIds.Single() == sync.Tags.Items.Single().Id}");
        foreach (string received in server.Received)
        {
            Console.WriteLine("server got " + received);
        }

        try
        {
            sync.Unlisteds.Create(new Unlisted());
            Console.WriteLine("unlisted: created");
        }
        catch (SyncModelException exception)
        {
            Console.WriteLine("unlisted: " + exception.Message);
        }

        /// <summary>Answers every create with a server key of the entity's key type, the way the reference server does.</summary>
        internal sealed class LoopbackServer : ISyncTransport
        {
            private int _next;

            public List<string> Received { get; } = new();

            public Task<IReadOnlyList<PushResult>> PushAsync(IReadOnlyList<OutgoingMutation> batch, CancellationToken cancellationToken)
            {
                var results = new List<PushResult>();
                foreach (OutgoingMutation mutation in batch)
                {
                    Received.Add($"{mutation.Kind} {mutation.Resource} {Encoding.UTF8.GetString(mutation.Payload.Span)}");
                    int next = ++_next;
                    string key = mutation.Kind != MutationKind.Create ? mutation.Key : mutation.Resource switch
                    {
                        "notebooks" => new Guid(next, 0, 0, new byte[8]).ToString(),
                        "notes" => (1000 + next).ToString(System.Globalization.CultureInfo.InvariantCulture),
                        _ => "tag-" + next,
                    };
                    results.Add(new PushResult.Applied(key, "1", mutation.Payload));
                }

                return Task.FromResult<IReadOnlyList<PushResult>>(results);
            }

            // Lists nothing it applied, so it never answers: an empty list after a push confirmed rows would say that
            // those rows are gone, and the view would drop them (it lists again after confirmed creates).
            public async Task<ListPage> ListAsync(string resource, string? after, int limit, string clientId, CancellationToken cancellationToken)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                throw new OperationCanceledException(cancellationToken);
            }

            public async IAsyncEnumerable<ChangeEvent> FollowAsync(string resource, long afterSequence, string clientId, [EnumeratorCancellation] CancellationToken cancellationToken)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                yield break;
            }
        }
        """;

    /// <summary>
    /// The project: the runtime's sources compiled in (so the trim and AOT analyzers see its JSON path, not only
    /// the app's), the generator and analyzers as a package gives them, trim/AOT analysis on, and reflection-based
    /// JSON off at run time as in a Native AOT app.
    /// </summary>
    public static string Project(string repoRoot, string configuration) => $$"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            <LangVersion>latest</LangVersion>
            <IsAotCompatible>true</IsAotCompatible>
            <JsonSerializerIsReflectionEnabledByDefault>false</JsonSerializerIsReflectionEnabledByDefault>
            <NoWarn>$(NoWarn);CS1591</NoWarn>
          </PropertyGroup>
          <ItemGroup>
            <Compile Include="{{repoRoot}}src/OfflineSync/**/*.cs" Exclude="{{repoRoot}}src/OfflineSync/obj/**;{{repoRoot}}src/OfflineSync/bin/**" LinkBase="OfflineSync" />
            <PackageReference Include="Polly.Core" Version="{{PackageVersion(repoRoot, "Polly.Core")}}" />
            <PackageReference Include="Microsoft.Extensions.Logging.Abstractions" Version="{{PackageVersion(repoRoot, "Microsoft.Extensions.Logging.Abstractions")}}" />
            <Analyzer Include="{{repoRoot}}generators/OfflineSync.Generators/bin/{{configuration}}/netstandard2.0/OfflineSync.Generators.dll" />
            <Analyzer Include="{{repoRoot}}analyzers/OfflineSync.Analyzers/bin/{{configuration}}/netstandard2.0/OfflineSync.Analyzers.dll" />
          </ItemGroup>
        </Project>
        """;

    /// <summary>The version the repository pins in Directory.Packages.props (the temp project lives outside it).</summary>
    private static string PackageVersion(string repoRoot, string package) =>
        System.Xml.Linq.XDocument.Load(Path.Combine(repoRoot, "Directory.Packages.props"))
            .Descendants("PackageVersion")
            .Single(e => (string?)e.Attribute("Include") == package)
            .Attribute("Version")!.Value;
}
