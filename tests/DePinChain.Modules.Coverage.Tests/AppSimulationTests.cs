namespace DePinChain.Modules.Coverage.Tests;

/// <summary>The simulated network through the real ABCI path: the app in-process, signed txs, FinalizeBlock and Commit.</summary>
public class AppSimulationTests
{
    [Fact]
    public void A_thousand_devices_through_FinalizeBlock_and_Commit_reject_every_cheat_and_pay_honest_coverage()
    {
        using var chain = new AppSimChain(SimWorld.Genesis(SimulatedNetworkTests.Tune, SimulatedNetworkTests.Owners));
        SimulatedNetworkTests.Run(new SimWorld(20261122, SimulatedNetworkTests.Tune, SimulatedNetworkTests.Owners, _ => chain));
    }
}
