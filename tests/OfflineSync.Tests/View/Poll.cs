namespace OfflineSync.Tests.View;

/// <summary>Waits, in real time, for something a background loop does.</summary>
internal static class Poll
{
    public static async Task Until(Func<bool> condition, string because, int timeoutMilliseconds = 10_000)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.ElapsedMilliseconds > timeoutMilliseconds)
            {
                Assert.Fail($"Timed out waiting until {because}.");
            }

            await Task.Delay(5);
        }
    }
}
