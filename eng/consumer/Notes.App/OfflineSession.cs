using Notes.Model;
using OfflineSync;
using OfflineSync.Http;

namespace Notes.App;

/// <summary>
/// Creates a notebook, two labels and a note offline (string, long and Guid keys, references between
/// them), goes online, syncs, and checks that every reference now holds a server key — in this
/// client's view and, through a second client, on the server.
/// </summary>
internal static class OfflineSession
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    public static async Task RunAsync(Uri server, string queuePath, TextWriter output, CancellationToken cancellationToken)
    {
        using var transport = new HttpSyncTransport(server);
        await using var sync = new NotesSync(new SyncOptions { Transport = transport, Store = SqliteMutationStore.Open(queuePath) });
        sync.SetOnline(false);

        // Offline: optimistic keys at once, references to them, an update that references a later create.
        Notebook work = sync.Notebooks.Create(new Notebook { Name = "Work" });
        Label urgent = sync.Labels.Create(new Label { Text = "urgent", NotebookId = work.Id });
        Label later = sync.Labels.Create(new Label { Text = "later", NotebookId = work.Id });
        Note note = sync.Notes.Create(new Note { Title = "Ship 1.0", NotebookId = work.Id, LabelIds = { urgent.Id, later.Id } });
        sync.Notebooks.Update(work.Id, n => n.PinnedNoteId = note.Id);
        Check(work.Id.StartsWith(OptimisticKeys.StringPrefix, StringComparison.Ordinal), $"the notebook's offline key {work.Id} is optimistic");
        Check(urgent.Id < 0 && later.Id < 0, $"the labels' offline keys {urgent.Id}, {later.Id} are optimistic");
        Check(note.Id != Guid.Empty, "the note got a proposed Guid key");
        output.WriteLine($"offline: {sync.PendingCount} mutations queued");

        sync.SetOnline(true);
        await DrainAsync(sync, cancellationToken);

        string workKey = ServerKey<Notebook, string>(sync, "notebooks", work.Id, output);
        long urgentKey = ServerKey<Label, long>(sync, "labels", urgent.Id, output);
        long laterKey = ServerKey<Label, long>(sync, "labels", later.Id, output);
        Guid noteKey = ServerKey<Note, Guid>(sync, "notes", note.Id, output);
        Check(!OptimisticKeys.IsOptimistic(SyncKeyKind.String, workKey), $"notebook key {workKey} is a server key");
        Check(urgentKey > 0 && laterKey > 0, $"label keys {urgentKey}, {laterKey} are server keys");

        // This client's view: every reference resolved (S3).
        Check(sync.Notes.TryGet(noteKey, out Note? local), "the note is in the view under its server key");
        CheckNote(local!, workKey, urgentKey, laterKey, "in the view");
        Check(sync.Notebooks.TryGet(workKey, out Notebook? localWork) && localWork.PinnedNoteId == noteKey, "the notebook's pinned note in the view");

        // The server's state, as a second client with an empty queue receives it.
        using var otherTransport = new HttpSyncTransport(server);
        await using var other = new NotesSync(new SyncOptions { Transport = otherTransport });
        other.SetOnline(true);
        Note remote = await WaitForAsync(() => other.Notes.TryGet(noteKey, out Note? n) ? n : null, "the second client receives the note", cancellationToken);
        CheckNote(remote, workKey, urgentKey, laterKey, "on the server");
        Notebook remoteWork = await WaitForAsync(() => other.Notebooks.TryGet(workKey, out Notebook? n) && n.PinnedNoteId == noteKey ? n : null, "the second client receives the pinned notebook", cancellationToken);
        Label remoteLabel = await WaitForAsync(() => other.Labels.TryGet(urgentKey, out Label? l) ? l : null, "the second client receives the label", cancellationToken);
        Check(remoteLabel.NotebookId == workKey && remoteWork.Name == "Work", "the label's notebook on the server");
    }

    private static async Task DrainAsync(NotesSync sync, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(WaitLimit);
        while (sync.PendingCount > 0)
        {
            await sync.SyncAsync(limit.Token);
            if (sync.GetPending().FirstOrDefault(p => p.Status == MutationStatus.PermanentlyFailed) is { } failed)
            {
                throw new InvalidOperationException($"{failed.Kind} of {failed.Resource} {failed.Key} failed: {failed.FailureReason} {failed.LastError}");
            }

            if (sync.PendingCount > 0)
            {
                await Task.Delay(100, limit.Token);
            }
        }
    }

    private static TKey ServerKey<TEntity, TKey>(NotesSync sync, string resource, TKey optimistic, TextWriter output)
        where TEntity : class, ISyncEntity<TEntity>
        where TKey : notnull
    {
        if (sync.IdMap.TryResolve<TEntity, TKey>(optimistic, out TKey? server))
        {
            output.WriteLine($"{resource}: {optimistic} -> {server}");
            return server;
        }

        output.WriteLine($"{resource}: {optimistic} (kept by the server)");
        return optimistic;
    }

    private static void CheckNote(Note note, string notebookKey, long urgentKey, long laterKey, string where)
    {
        Check(note.NotebookId == notebookKey, $"the note's notebook {where} is {note.NotebookId}, expected {notebookKey}");
        Check(note.LabelIds.SequenceEqual([urgentKey, laterKey]), $"the note's labels {where} are [{string.Join(", ", note.LabelIds)}], expected [{urgentKey}, {laterKey}]");
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> probe, string what, CancellationToken cancellationToken)
        where T : class
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(WaitLimit);
        while (true)
        {
            if (probe() is T value)
            {
                return value;
            }

            try
            {
                await Task.Delay(100, limit.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Gave up after {WaitLimit.TotalSeconds} s waiting until {what}.");
            }
        }
    }

    private static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException("Check failed: " + what);
        }
    }
}
