using System.Diagnostics;
using System.Globalization;
using DePinChain.App;
using DePinChain.Comet;
using DePinChain.Comet.Hashing;
using DePinChain.Comet.Signing;
using DePinChain.CometStandIn;
using DePinChain.Modules.Ibc.Commitment;
using DePinChain.Protos.Abci;
using DePinChain.Protos.Cosmos.Auth.V1Beta1;
using DePinChain.Protos.Ibc.Applications.Transfer.V1;
using DePinChain.Protos.Ibc.Core.Channel.V1;
using DePinChain.Protos.Ibc.Core.Client.V1;
using DePinChain.Protos.Ibc.Core.Commitment.V1;
using DePinChain.Protos.Types;
using DePinChain.Sdk;
using DePinChain.Store;
using DePinChain.Store.Backend;
using DePinChain.Store.Backend.LevelDb;
using DePinChain.TestRelayer;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using static DePinChain.Bench.BenchArgs;
using static DePinChain.Bench.Stats;
using Coin = DePinChain.Protos.Cosmos.Base.V1Beta1.Coin;
using IbcHeight = DePinChain.Protos.Ibc.Core.Client.V1.Height;
using TmClientState = DePinChain.Protos.Ibc.LightClients.Tendermint.V1.ClientState;
using TmConsensusState = DePinChain.Protos.Ibc.LightClients.Tendermint.V1.ConsensusState;
using TmFraction = DePinChain.Protos.Ibc.LightClients.Tendermint.V1.Fraction;
using TmHeader = DePinChain.Protos.Ibc.LightClients.Tendermint.V1.Header;

namespace DePinChain.Bench;

/// <summary>
/// IBC through the wired DePinApp on LevelDB (issue 14's figures).
/// (a) MsgUpdateClient: a 07-tendermint client of a counterparty whose 150-validator set this suite holds the keys of
/// (created on the app with MsgCreateClient), then blocks of one tx each carrying one MsgUpdateClient with a newly signed
/// header (adjacent: height + 1 from the latest; non-adjacent: + 10, verified with the 1/3 trust level); FinalizeBlock
/// time per update, the header's whole path (tx decode, ante, light verification, stores, events).
/// (b) MsgRecvPacket of ICS-20 transfers: two DePinApps (the measured one on LevelDB) behind CometBFT stand-ins that sign
/// real headers, linked by the test relayer (clients, connection, transfer channel, all proof-verified); the counterparty
/// sends the transfers (MsgTransfer, --ibc-msgs-per-tx per tx), its client on the measured app is updated to a header after them,
/// and the packets are relayed to the measured app in blocks of 1,000 MsgRecvPacket, each with its ICS-23 membership
/// proof of the packet commitment against that header's app hash, grouped in txs of --ibc-msgs-per-tx messages (rly
/// and Hermes batch many messages per tx). FinalizeBlock + Commit are called on the app directly for those blocks.
/// Options: --ibc-validators=150 --ibc-updates=30 --ibc-block-packets=1000 --ibc-blocks=3 (measured, after one warm-up
/// block) --ibc-msgs-per-tx=50 --dir=PATH.
/// </summary>
public static class IbcBench
{
    private const string Suite = "ibc";
    private const string Denom = "udpin";
    private static readonly TxSigner Relayer = TxSigner.FromSeed("relayer");

    public static IEnumerable<BenchResult> Run(IReadOnlyList<string> args)
    {
        int validators = Int(args, "ibc-validators", 150);
        int updates = Int(args, "ibc-updates", 30);
        int blockPackets = Int(args, "ibc-block-packets", 1000);
        int blocks = Int(args, "ibc-blocks", 3);
        int msgsPerTx = Int(args, "ibc-msgs-per-tx", 50);
        string root = Option(args, "dir", Path.GetTempPath());
        string dir = Path.Combine(root, $"depin-ibc-bench-{Environment.ProcessId}");
        try
        {
            foreach (var row in RunUpdateClient(Path.Combine(dir, "update"), validators, updates)) yield return row;
            yield return RunRecvPackets(Path.Combine(dir, "recv"), blockPackets, blocks, msgsPerTx).GetAwaiter().GetResult();
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    private static int Int(IReadOnlyList<string> args, string name, int fallback)
        => int.Parse(Option(args, name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    private static MultiStore OpenLevelDb(string dir)
    {
        Directory.CreateDirectory(dir);
        return MultiStore.OpenOwning(LevelDbStore.Open(dir, LevelDbOptions.CreateNew), AppModules.AllStoreNames,
            new MultiStoreOptions { CreateIfEmpty = true, Pruning = PruningOptions.Default });
    }

    // ------------------------------------------------------------------ (a) MsgUpdateClient

    private const string HostChainId = "depin-bench-1";
    private const string CounterpartyChainId = "counterparty-1";
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    // Block h of either chain is at Start + 5 h seconds: a counterparty header is always in the host's past.
    private static Timestamp TimeAt(long height) => Timestamp.FromDateTimeOffset(Start.AddSeconds(height * 5));

    private static IEnumerable<BenchResult> RunUpdateClient(string dir, int validatorCount, int updates)
    {
        using var store = OpenLevelDb(dir);
        var app = new DePinApp(store);
        app.InitChain(new RequestInitChain
        {
            ChainId = HostChainId, InitialHeight = 1, Time = TimeAt(0),
            AppStateBytes = ByteString.CopyFromUtf8(TxBuilder.GenesisAppState([(Relayer.Address, 1_000_000_000_000)], Denom)),
        });
        long height = 0;
        ResponseFinalizeBlock Block(params ByteString[] txs)
        {
            height++;
            var request = new RequestFinalizeBlock
            {
                Height = height, Time = TimeAt(height), Hash = ByteString.CopyFrom(DePinChain.Crypto.Hashes.Sha256(BitConverter.GetBytes(height))),
                ProposerAddress = ByteString.CopyFrom(new byte[20]),
            };
            request.Txs.AddRange(txs);
            var response = app.FinalizeBlock(request);
            app.Commit(new RequestCommit());
            return response;
        }
        Block();

        var vals = LocalValidatorSet.Generate("ibc-bench", validatorCount, _ => 1000);
        var parts = new PartSetHeader { Total = 1, Hash = ByteString.CopyFrom(new byte[32]) };
        SignedHeader Signed(long h) => CommitSigner.SignHeader(
            HeaderFactory.Create(CounterpartyChainId, h, TimeAt(h), BlockIds.OrEmpty(null), lastCommit: null, vals, vals,
                ByteString.CopyFrom(DePinChain.Crypto.Hashes.Sha256(BitConverter.GetBytes(h)))),
            vals, parts);
        IbcHeight Ibc(long h) => new() { RevisionNumber = 1, RevisionHeight = (ulong)h };

        var first = Signed(1);
        var create = new MsgCreateClient
        {
            ClientState = Any.Pack(new TmClientState
            {
                ChainId = CounterpartyChainId,
                TrustLevel = new TmFraction { Numerator = 1, Denominator = 3 },
                TrustingPeriod = Duration.FromTimeSpan(TimeSpan.FromDays(14)),
                UnbondingPeriod = Duration.FromTimeSpan(TimeSpan.FromDays(21)),
                MaxClockDrift = Duration.FromTimeSpan(TimeSpan.FromSeconds(10)),
                FrozenHeight = new IbcHeight(),
                LatestHeight = Ibc(1),
                ProofSpecs = { MerkleProofs.SdkSpecs },
                UpgradePath = { "upgrade", "upgradedIBCState" },
            }, ""),
            ConsensusState = Any.Pack(new TmConsensusState
            {
                Timestamp = first.Header.Time, Root = new MerkleRoot { Hash = first.Header.AppHash }, NextValidatorsHash = first.Header.NextValidatorsHash,
            }, ""),
            Signer = Relayer.Bech32,
        };
        ulong sequence = 0;
        ByteString Tx(IMessage msg) => new TxBuilder().AddMessage(msg).WithFee(Denom, 500, 50_000_000).Sign(Relayer, HostChainId, 0, sequence++).ToByteString();
        Expect(Block(Tx(create)), "MsgCreateClient");

        long trusted = 1;
        MsgUpdateClient Update(long to)
        {
            var header = new TmHeader { SignedHeader = Signed(to), ValidatorSet = vals.ValidatorSet, TrustedHeight = Ibc(trusted), TrustedValidators = vals.ValidatorSet };
            trusted = to;
            return new MsgUpdateClient { ClientId = "07-tendermint-0", ClientMessage = Any.Pack(header, ""), Signer = Relayer.Bech32 };
        }

        BenchResult Measure(string name, int step)
        {
            const int warmUp = 3;
            var wall = new List<double>();
            var thread = new List<double>();
            var process = new List<double>();
            int txBytes = 0;
            for (int i = 0; i < warmUp + updates; i++)
            {
                long to = trusted + step;
                var tx = Tx(Update(to));
                txBytes = tx.Length;
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                double threadBefore = ThreadCpu.Milliseconds();
                var sw = Stopwatch.StartNew();
                var response = FinalizeOnly(tx, to);
                double elapsed = sw.Elapsed.TotalMilliseconds;
                double threadMs = ThreadCpu.Milliseconds() - threadBefore;
                double processMs = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds;
                app.Commit(new RequestCommit());
                Expect(response, name);
                if (i < warmUp) continue;
                wall.Add(elapsed);
                thread.Add(threadMs);
                process.Add(processMs);
            }
            return new BenchResult(Suite, $"MsgUpdateClient, {validatorCount}-validator header, {name}: FinalizeBlock of a 1-tx block",
                $"{Median(wall):F2} ms median", "≤ 15 ms",
                $"p95 {Percentile(wall, 0.95):F2} ms; CPU median: executing thread {Median(thread):F2} ms, process {Median(process):F2} ms; tx {txBytes / 1024.0:F0} KiB; {updates} blocks (+{warmUp} warm-up)");
        }

        // The host block one second after the counterparty header it carries (the host's height is its own).
        ResponseFinalizeBlock FinalizeOnly(ByteString tx, long counterpartyHeight)
        {
            height++;
            var request = new RequestFinalizeBlock
            {
                Height = height, Time = CometTime.FromNanos(CometTime.Nanos(TimeAt(counterpartyHeight)) + CometTime.NanosPerSecond), Hash = ByteString.CopyFrom(DePinChain.Crypto.Hashes.Sha256(BitConverter.GetBytes(height))),
                ProposerAddress = ByteString.CopyFrom(new byte[20]),
            };
            request.Txs.Add(tx);
            return app.FinalizeBlock(request);
        }

        yield return Measure("adjacent (trusted height + 1)", 1);
        yield return Measure("non-adjacent (trusted height + 10, trust level 1/3)", 10);
    }

    private static void Expect(ResponseFinalizeBlock response, string what)
    {
        foreach (var result in response.TxResults)
        {
            if (result.Code != 0) throw new InvalidOperationException($"{what} failed (code {result.Code} {result.Codespace}): {result.Log}");
        }
    }

    // ------------------------------------------------------------------ (b) MsgRecvPacket

    private static async Task<BenchResult> RunRecvPackets(string dir, int blockPackets, int blocks, int msgsPerTx)
    {
        var sender = TxSigner.FromSeed("ibc-bench-sender");
        var clock = new StandInClock(Timestamp.FromDateTimeOffset(Start));
        using var measuredStore = OpenLevelDb(dir);
        var measuredApp = new DePinApp(measuredStore);
        await using var a = await StartChainAsync("depin-a-1", clock, measuredApp, []);
        await using var b = await StartChainAsync("depin-b-1", clock, null, [sender.Address]);
        var chainA = new RelayChain(a.RpcUrl!, Relayer, ct => a.ProduceBlockAsync(cancellationToken: ct)) { WaitAttempts = 40 };
        var chainB = new RelayChain(b.RpcUrl!, Relayer, ct => b.ProduceBlockAsync(cancellationToken: ct)) { WaitAttempts = 40 };
        var relayer = new TestRelayer.Relayer(chainA, chainB);
        var setup = Stopwatch.StartNew();
        await relayer.LinkAsync();

        // The transfers, sent on B: --ibc-msgs-per-tx MsgTransfer per tx (a block each), each to a receiver of its own on A.
        var senderOnB = new RelayChain(b.RpcUrl!, sender, ct => b.ProduceBlockAsync(cancellationToken: ct)) { WaitAttempts = 40 };
        await senderOnB.InitAsync();
        int total = blockPackets * (blocks + 1);
        for (int sent = 0; sent < total;)
        {
            var msgs = new List<IMessage>();
            for (; msgs.Count < msgsPerTx && sent < total; sent++)
            {
                msgs.Add(new MsgTransfer
                {
                    SourcePort = "transfer", SourceChannel = relayer.B.ChannelId,
                    Token = new Coin { Denom = Denom, Amount = "1" },
                    Sender = sender.Bech32,
                    Receiver = Bech32Address.ToBech32(DePinChain.Crypto.Hashes.Sha256(BitConverter.GetBytes(sent))[..20]),
                    TimeoutHeight = new IbcHeight { RevisionNumber = 1, RevisionHeight = 1_000_000 },
                });
            }
            await senderOnB.SendAsync(msgs);
        }
        await b.ProduceBlockAsync();
        long proofHeight = b.Height;

        // What rly does for them: find the packets (tx_search), prove each commitment at the header it updates A's client
        // to (abci_query store/ibc/key at the height before, prove=true; asked over B's ABCI connection rather than 4,000
        // RPC round trips).
        var packets = await relayer.SentPacketsAsync(chainB);
        if (packets.Count != total) throw new InvalidOperationException($"found {packets.Count} of {total} sent packets on B");
        var recvs = new List<MsgRecvPacket>(total);
        foreach (var p in packets)
        {
            var key = TestRelayer.Relayer.CommitmentKey("transfer", relayer.B.ChannelId, p.Packet.Sequence);
            var answer = await b.QueryAsync("store/ibc/key", key, proofHeight - 1, prove: true);
            if (answer.Code != 0 || answer.Value.IsEmpty) throw new InvalidOperationException($"no commitment of packet {p.Packet.Sequence} on B: {answer.Log}");
            var proof = new MerkleProof();
            foreach (var op in answer.ProofOps.Ops) proof.Proofs.Add(DePinChain.Protos.Ics23.CommitmentProof.Parser.ParseFrom(op.Data));
            recvs.Add(new MsgRecvPacket
            {
                Packet = p.Packet, ProofCommitment = proof.ToByteString(), Signer = Relayer.Bech32,
                ProofHeight = new IbcHeight { RevisionNumber = 1, RevisionHeight = (ulong)answer.Height + 1 },
            });
        }
        var update = await relayer.UpdateClientMsgAsync(chainA, proofHeight) ?? throw new InvalidOperationException("A's client of B is already past the proof height");
        await chainA.SendAsync([update]);
        double setupSeconds = setup.Elapsed.TotalSeconds;

        // From here the bench is A's consensus: blocks go to the app directly, the stand-in is left behind.
        var account = BaseAccount.Parser.ParseFrom(QueryAccountResponse.Parser.ParseFrom(measuredApp.Query(new RequestQuery
        {
            Path = "/cosmos.auth.v1beta1.Query/Account", Data = new QueryAccountRequest { Address = Relayer.Bech32 }.ToByteString(),
        }).Value).Account.Value);
        ulong sequence = account.Sequence;
        long height = a.Height;
        var time = a.LatestBlock.Block.Header.Time.ToDateTimeOffset();
        var throughput = new List<double>();
        var finalizeMs = new List<double>();
        var commitMs = new List<double>();
        var processUs = new List<double>();
        var threadUs = new List<double>();
        long txBytes = 0;
        for (int blk = 0; blk <= blocks; blk++)
        {
            var request = new RequestFinalizeBlock
            {
                Height = ++height, Time = Timestamp.FromDateTimeOffset(time.AddSeconds(blk + 1)),
                Hash = ByteString.CopyFrom(DePinChain.Crypto.Hashes.Sha256(BitConverter.GetBytes(height))),
                ProposerAddress = ByteString.CopyFrom(a.ValidatorsAt(a.Height).ProposerAddress),
            };
            foreach (var chunk in recvs.Skip(blk * blockPackets).Take(blockPackets).Chunk(msgsPerTx))
            {
                var builder = new TxBuilder { OmitPublicKey = true }.WithFee(Denom, 1_000_000, 400_000_000);
                foreach (var m in chunk) builder.AddMessage(m);
                request.Txs.Add(builder.Sign(Relayer, "depin-a-1", account.AccountNumber, sequence++).ToByteString());
            }
            if (blk == 1) txBytes = request.Txs.Sum(t => (long)t.Length);
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            double threadBefore = ThreadCpu.Milliseconds();
            var sw = Stopwatch.StartNew();
            var response = measuredApp.FinalizeBlock(request);
            var finalized = sw.Elapsed;
            measuredApp.Commit(new RequestCommit());
            var elapsed = sw.Elapsed;
            double threadMs = ThreadCpu.Milliseconds() - threadBefore;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            Expect(response, "MsgRecvPacket tx");
            int acks = response.TxResults.Sum(r => r.Events.Count(e => e.Type == "write_acknowledgement"
                && e.Attributes.Any(x => x.Key == "packet_ack" && x.Value == "{\"result\":\"AQ==\"}")));
            if (acks != blockPackets) throw new InvalidOperationException($"block {height}: {acks} successful acknowledgements for {blockPackets} packets");
            Console.Error.WriteLine($"  [ibc] block {height}: {blockPackets} MsgRecvPacket, finalize {finalized.TotalMilliseconds:F0} ms + commit {(elapsed - finalized).TotalMilliseconds:F0} ms; CPU {cpu.TotalMicroseconds / blockPackets:F0} µs/packet (executing thread {threadMs * 1000 / blockPackets:F0})");
            if (blk == 0) continue;
            throughput.Add(blockPackets / elapsed.TotalSeconds);
            finalizeMs.Add(finalized.TotalMilliseconds);
            commitMs.Add((elapsed - finalized).TotalMilliseconds);
            processUs.Add(cpu.TotalMicroseconds / blockPackets);
            threadUs.Add(threadMs * 1000 / blockPackets);
        }
        return new BenchResult(Suite, $"MsgRecvPacket (ICS-20, proof + voucher mint), {blockPackets}-packet blocks: FinalizeBlock + Commit (median of {blocks})",
            $"{Median(throughput):F0} packets/s", "≥ 1,500 packets/s",
            $"finalize {Median(finalizeMs):F0} ms + commit {Median(commitMs):F0} ms; CPU per packet: process {Median(processUs):F0} µs, executing thread {Median(threadUs):F0} µs; "
            + $"{msgsPerTx} MsgRecvPacket per tx ({(double)txBytes / blockPackets / 1024:F1} KiB/packet with its proof); new receiver per packet; setup (link + {total} transfers + proofs) {setupSeconds:F0} s");
    }

    private static Task<StandInNode> StartChainAsync(string chainId, StandInClock clock, DePinApp? app, IReadOnlyList<byte[]> funded)
    {
        app ??= new DePinApp(MultiStore.OpenOwning(new MemoryKeyValueStore(), AppModules.AllStoreNames, new MultiStoreOptions { CreateIfEmpty = true }));
        var keys = LocalValidatorSet.Generate(chainId, 3, _ => 10);
        var genesis = new StandInGenesis
        {
            ChainId = chainId,
            GenesisTime = clock.Now,
            AppStateJson = TxBuilder.GenesisAppState([(Relayer.Address, 1_000_000_000_000), .. funded.Select(f => (f, (System.Numerics.BigInteger)1_000_000_000_000))], Denom),
            Validators = [.. keys.Validators.Select(v => new GenesisValidator(v.PublicKey, v.VotingPower))],
        };
        return StandInNode.StartAsync(app, genesis, new StandInOptions
        {
            ValidatorSeeds = [.. Enumerable.Range(0, 3).Select(i => LocalValidatorSet.Seed(chainId, i))],
            Clock = clock,
            BlockOnBroadcast = true,
        });
    }
}
