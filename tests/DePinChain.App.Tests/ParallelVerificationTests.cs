using DePinChain.Crypto;
using DePinChain.Modules.Coverage.Poc;
using DePinChain.Modules.Devices;
using KeyType = DePinChain.Protos.Depin.Devices.V1.KeyType;
using DePinChain.Protos.Abci;
using DePinChain.Protos.Depin.Coverage.V1;
using DePinChain.Sdk;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using BeaconReportProto = DePinChain.Protos.Depin.Coverage.V1.BeaconReport;
using DevicesGenesisState = DePinChain.Protos.Depin.Devices.V1.GenesisState;

namespace DePinChain.App.Tests;

public class ParallelVerificationTests
{
    /// <summary>
    /// A block mixing valid txs, a bad signature, a key rotation within the block (an account created and then
    /// spending in the same block, whose key is unknown before execution), and a replay: verifying signatures ahead
    /// on other cores must give exactly the sequential results.
    /// </summary>
    [Fact]
    public void Pipelined_verification_gives_the_same_results_as_sequential_execution()
    {
        var parallel = new TestChain(new AppOptions { ParallelSignatureVerification = true });
        var sequential = new TestChain(new AppOptions { ParallelSignatureVerification = false });

        var txs = new List<byte[]>();
        var alice = parallel.Account(TestChain.Alice);
        for (ulong seq = 0; seq < 6; seq++)
            txs.Add(new TxBuilder().AddMessage(TxBuilder.Send(TestChain.Alice.Bech32, TestChain.Bob.Bech32, "udpin", 10 + seq))
                .WithFee("udpin", 100, 200_000).Sign(TestChain.Alice, TestChain.ChainId, alice.AccountNumber, seq).ToByteArray());
        var bad = TestChain.Raw(parallel.SendTx(TestChain.Bob, TestChain.Alice.Bech32, 1));
        var sig = bad.Signatures[0].ToByteArray();
        sig[5] ^= 0x40;
        bad.Signatures[0] = ByteString.CopyFrom(sig);
        txs.Add(bad.ToByteArray());
        txs.Add(txs[0]);
        // Carol's account is created by tx 8 in this very block, so her account number is unknown beforehand.
        // It follows the two genesis accounts and every declared module account.
        ulong carolNumber = 2 + (ulong)parallel.App.Modules.AccountKeeper.ModuleAccounts.Count;
        txs.Add(new TxBuilder().AddMessage(TxBuilder.Send(TestChain.Alice.Bech32, TestChain.Carol.Bech32, "udpin", 5_000))
            .WithFee("udpin", 100, 200_000).Sign(TestChain.Alice, TestChain.ChainId, alice.AccountNumber, 6).ToByteArray());
        txs.Add(new TxBuilder().AddMessage(TxBuilder.Send(TestChain.Carol.Bech32, TestChain.Bob.Bech32, "udpin", 1))
            .WithFee("udpin", 0, 200_000).Sign(TestChain.Carol, TestChain.ChainId, carolNumber, 0).ToByteArray());
        txs.Add([0x0a, 0xff]); // undecodable, between the others
        txs.Add(new TxBuilder().AddMessage(TxBuilder.Send(TestChain.Alice.Bech32, "depin1notanaddress", "udpin", 1)) // fails ValidateBasic
            .WithFee("udpin", 1, 200_000).Sign(TestChain.Alice, TestChain.ChainId, alice.AccountNumber, 7).ToByteArray());
        // Enough txs for the workers to run ahead of execution and for execution to catch up with them.
        for (ulong seq = 7; seq < 60; seq++)
            txs.Add(new TxBuilder().AddMessage(TxBuilder.Send(TestChain.Alice.Bech32, TestChain.Bob.Bech32, "udpin", seq))
                .WithFee("udpin", 1, 200_000).Sign(TestChain.Alice, TestChain.ChainId, alice.AccountNumber, seq).ToByteArray());

        var a = parallel.FinalizeAndCommit([.. txs]);
        var b = sequential.FinalizeAndCommit([.. txs]);

        Assert.Equal(Outcomes(b), Outcomes(a));
        Assert.Equal(b.AppHash, a.AppHash);
        // The block really contains every outcome, so the comparison means something.
        Assert.Contains(a.TxResults, r => r.Code == 0);
        Assert.Contains(a.TxResults, r => r.Code == SdkErrors.UnauthorizedCode);
        Assert.Contains(a.TxResults, r => r.Code == SdkErrors.WrongSequenceCode);
        Assert.Contains(a.TxResults, r => r.Code == SdkErrors.InvalidAddressCode);
        Assert.Equal(0u, a.TxResults[9].Code);
        Assert.Equal(0u, a.TxResults[^1].Code);
    }

    /// <summary>
    /// Proof-of-coverage reports carry device signatures (secp256k1 and ed25519) that MsgSubmitPoc declares, so they
    /// are verified ahead too; good and forged ones must end exactly as when each is verified in the handler.
    /// </summary>
    [Fact]
    public void Pipelined_device_signatures_of_coverage_reports_give_the_same_results_as_sequential_execution()
    {
        var secp = Device("secp", KeyType.Secp256K1);
        var ed = Device("ed", KeyType.Ed25519);
        var parallel = CoverageChain(true, secp, ed);
        var sequential = CoverageChain(false, secp, ed);

        var alice = parallel.Account(TestChain.Alice);
        ulong sequence = alice.Sequence;
        var txs = new List<byte[]>();
        foreach (var device in new[] { secp, ed, secp, ed })
        {
            foreach (bool forged in new[] { false, true })
            {
                var msg = new MsgSubmitPoc { Submitter = TestChain.Alice.Bech32, Beacon = SignedBeacon(device, forged, txs.Count) };
                txs.Add(new TxBuilder().AddMessage(msg).WithFee("udpin", 0, 3_000_000)
                    .Sign(TestChain.Alice, TestChain.ChainId, alice.AccountNumber, sequence++).ToByteArray());
            }
        }

        var a = parallel.FinalizeAndCommit([.. txs]);
        var b = sequential.FinalizeAndCommit([.. txs]);

        Assert.Equal(Outcomes(b), Outcomes(a));
        Assert.Equal(b.AppHash, a.AppHash);
        // A good signature gets past the signature rule (to the location rule); a forged one stops there.
        for (int i = 0; i < txs.Count; i += 2)
        {
            Assert.NotEqual(0u, a.TxResults[i + 1].Code);
            Assert.Contains("signature", a.TxResults[i + 1].Log);
            Assert.DoesNotContain("signature", a.TxResults[i].Log);
        }
    }

    [Fact]
    public void The_report_checks_a_coverage_message_declares_are_the_ones_its_handler_asks_about()
    {
        var device = Device("secp", KeyType.Secp256K1);
        var beacon = SignedBeacon(device, forged: false, 1);
        var declared = PocSignatureChecks.Of(new MsgSubmitPoc { Beacon = beacon }, TestChain.ChainId);
        var record = new DePinChain.Modules.Coverage.Poc.BeaconReport(beacon.BeaconerKey.ToByteArray(), beacon.EntropyHeight, beacon.Payload.ToByteArray(),
            beacon.FrequencyHz, beacon.TxPowerTenthsDbm, beacon.TimestampMs, beacon.Signature.ToByteArray());

        var recording = new RecordingVerifier();
        var ctx = new Context(new TestCommitMultiStore(AppModules.AllStoreNames), new BlockHeader(TestChain.ChainId, 2, DateTimeOffset.UnixEpoch),
            ExecMode.Finalize, GasMeter.Infinite(), new EventManager(), signatures: recording);
        var verdicts = PocSignatureChecks.Verify(ctx.Signatures, ctx.ChainId, record, []);

        Assert.Equal([true], verdicts);
        Assert.Equal(declared, recording.Asked);
    }

    private sealed class RecordingVerifier : ISignatureVerifier
    {
        public List<SignatureCheck> Asked { get; } = [];

        public bool Verify(SignatureCheck check)
        {
            Asked.Add(check);
            return check.Verify();
        }

        public bool[] VerifyAll(IReadOnlyList<SignatureCheck> checks) => [.. checks.Select(Verify)];
    }

    private static IEnumerable<(uint, long, long, string)> Outcomes(ResponseFinalizeBlock response)
        => response.TxResults.Select(r => (r.Code, r.GasUsed, r.GasWanted, r.Log));

    private sealed record TestDevice(byte[] Secret, KeyType Type, byte[] Key);

    private static TestDevice Device(string name, KeyType type)
    {
        var secret = Hashes.Sha256(System.Text.Encoding.UTF8.GetBytes("device:" + name));
        return new TestDevice(secret, type, type == KeyType.Secp256K1 ? Secp256k1.GetPublicKey(secret) : Ed25519.PublicKeyFromSeed(secret));
    }

    private static BeaconReportProto SignedBeacon(TestDevice device, bool forged, int nonce)
    {
        var beacon = new BeaconReportProto
        {
            BeaconerKey = ByteString.CopyFrom(device.Key),
            EntropyHeight = 1,
            Payload = ByteString.CopyFrom(Hashes.Sha256(BitConverter.GetBytes(nonce))),
            FrequencyHz = 868_100_000,
            TxPowerTenthsDbm = 140,
            TimestampMs = 1_000 + nonce,
        };
        var record = new DePinChain.Modules.Coverage.Poc.BeaconReport(device.Key, beacon.EntropyHeight, beacon.Payload.ToByteArray(), beacon.FrequencyHz,
            beacon.TxPowerTenthsDbm, beacon.TimestampMs, []);
        var bytes = PocSignBytes.Beacon(TestChain.ChainId, record);
        var signature = device.Type == KeyType.Secp256K1 ? Secp256k1.SignMessage(device.Secret, bytes) : Ed25519.Sign(device.Secret, bytes);
        if (forged) signature[10] ^= 0x01;
        beacon.Signature = ByteString.CopyFrom(signature);
        return beacon;
    }

    /// <summary>A started chain whose devices genesis registers the given (unlocated) devices.</summary>
    private static TestChain CoverageChain(bool pipelined, params TestDevice[] devices)
    {
        var chain = new TestChain(new AppOptions { ParallelSignatureVerification = pipelined }, start: false);
        var makerSecret = Hashes.Sha256("maker"u8.ToArray());
        var genesis = new DevicesGenesisState { Params = DevicesKeeper.DefaultParams() };
        genesis.Makers.Add(new DePinChain.Protos.Depin.Devices.V1.Maker
        {
            Name = "maker", Key = ByteString.CopyFrom(Secp256k1.GetPublicKey(makerSecret)), KeyType = DePinChain.Protos.Depin.Devices.V1.KeyType.Secp256K1,
            FeePayer = TestChain.Bob.Bech32, Active = true,
        });
        foreach (var d in devices)
        {
            genesis.Devices.Add(new DePinChain.Protos.Depin.Devices.V1.Device
            {
                Key = ByteString.CopyFrom(d.Key),
                KeyType = d.Type == KeyType.Secp256K1 ? DePinChain.Protos.Depin.Devices.V1.KeyType.Secp256K1 : DePinChain.Protos.Depin.Devices.V1.KeyType.Ed25519,
                Owner = TestChain.Bob.Bech32,
                Mode = DePinChain.Protos.Depin.Devices.V1.DeviceMode.Full,
                Status = DePinChain.Protos.Depin.Devices.V1.DeviceStatus.Active,
                Maker = "maker",
                OnboardedHeight = 1,
            });
        }
        string appState = TxBuilder.GenesisAppState([(TestChain.Alice.Address, 1_000_000), (TestChain.Bob.Address, 1_000)]);
        appState = appState[..^1] + $",\"devices\":{DevicesGenesis.Json.Format(genesis)}}}";
        chain.App.InitChain(new RequestInitChain
        {
            ChainId = TestChain.ChainId,
            InitialHeight = 1,
            Time = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddYears(56)),
            AppStateBytes = ByteString.CopyFromUtf8(appState),
        });
        chain.FinalizeAndCommit();
        return chain;
    }
}
