using CsCheck;

namespace OfflineSync.Tests.View;

/// <summary>Random interleavings of local changes and feed events (S15–S19, F4).</summary>
public class LocalViewPropertyTests
{
    [Fact]
    public void RandomInterleavings_NeverShowAKeyTwiceOrADeletedKey_AndConvergeOnTheServerState()
    {
        // Operations: local create/update/delete, push (answered or answer lost), feed delivery,
        // reconnect with a fresh list, and another client's create/update/delete.
        Gen.Select(Gen.Int[0, 9], Gen.Int[0, 1_000_000]).Array[1, 80].Sample(steps =>
        {
            var simulation = new ViewSimulation();
            foreach ((int operation, int argument) in steps)
            {
                simulation.Step(operation, argument);
            }

            simulation.DrainAndCatchUp();
        }, iter: 200, threads: 1);
    }
}
