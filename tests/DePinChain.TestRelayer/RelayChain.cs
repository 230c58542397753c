using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DePinChain.Api.Comet;
using DePinChain.App;
using DePinChain.Crypto;
using DePinChain.Protos.Abci;
using DePinChain.Protos.Cosmos.Auth.V1Beta1;
using DePinChain.Protos.Cosmos.Tx.V1Beta1;
using DePinChain.Protos.Ibc.Core.Commitment.V1;
using DePinChain.Protos.Ics23;
using DePinChain.Protos.Types;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using IbcHeight = DePinChain.Protos.Ibc.Core.Client.V1.Height;

namespace DePinChain.TestRelayer;

/// <summary>A committed tx as the relayer saw it: where, its code and its events.</summary>
public sealed record TxOutcome(string Hash, long Height, uint Code, string Codespace, string Log, IReadOnlyList<Event> Events)
{
    /// <summary>The value of the first <paramref name="type"/> event's <paramref name="key"/> attribute.</summary>
    public string Attribute(string type, string key)
        => Events.Where(e => e.Type == type).SelectMany(e => e.Attributes).FirstOrDefault(a => a.Key == key)?.Value
            ?? throw new RelayerException($"tx {Hash} has no {type}.{key} event attribute");
}

/// <summary>
/// One chain as rly's cosmos provider sees it, through CometBFT's RPC only: ABCI queries at gRPC method paths, ICS-23
/// proofs from <c>store/ibc/key</c>, signed headers from <c>commit</c> and <c>validators</c>, txs signed with the
/// relayer key (SIGN_MODE_DIRECT) after a <c>Simulate</c> for gas, sent with broadcast_tx_sync and awaited with <c>tx</c>.
/// </summary>
public sealed partial class RelayChain
{
    private readonly Func<CancellationToken, Task> _nextBlock;

    /// <param name="nextBlock">What to do while waiting for the chain to move on: a test's stand-in makes a block; null
    /// = sleep half a second (a live chain).</param>
    public RelayChain(string rpcUrl, TxSigner signer, Func<CancellationToken, Task>? nextBlock = null)
    {
        Rpc = new RelayerRpc(rpcUrl);
        Signer = signer;
        _nextBlock = nextBlock ?? (ct => Task.Delay(500, ct));
    }

    public RelayerRpc Rpc { get; }

    public TxSigner Signer { get; }

    public string ChainId { get; private set; } = "";

    /// <summary>ibc-go's <c>ParseChainID</c>: the number after the last '-' of an id of the form name-N, else 0.</summary>
    public ulong RevisionNumber => RevisionNumberOf(ChainId);

    public string GasDenom { get; init; } = "udpin";

    /// <summary>Gas price in thousandths of <see cref="GasDenom"/> (rly's 0.025udpin = 25).</summary>
    public long GasPriceMilli { get; init; } = 25;

    /// <summary>Attempts to see a block or a tx before giving up.</summary>
    public int WaitAttempts { get; init; } = 60;

    public static TxSigner SignerFromMnemonic(string mnemonic)
        => new(Bip32.DerivePrivateKey(Bip39.ToSeed(mnemonic.Trim()), Bip32.CosmosPath()));

    [GeneratedRegex(@"^.*[^\n-]-[1-9][0-9]*$")]
    private static partial Regex RevisionFormat();

    public static ulong RevisionNumberOf(string chainId)
        => RevisionFormat().IsMatch(chainId) ? ulong.Parse(chainId[(chainId.LastIndexOf('-') + 1)..], CultureInfo.InvariantCulture) : 0;

    public IbcHeight IbcHeight(long height) => new() { RevisionNumber = RevisionNumber, RevisionHeight = (ulong)height };

    public async Task InitAsync(CancellationToken cancellationToken = default)
    {
        JsonNode status = await Rpc.CallAsync("status", [], cancellationToken).ConfigureAwait(false);
        ChainId = (string?)status["node_info"]?["network"] ?? throw new RelayerException($"{Rpc.Url}: status has no node_info.network");
    }

    public async Task<(long Height, Timestamp Time)> LatestAsync(CancellationToken cancellationToken = default)
    {
        JsonNode sync = (await Rpc.CallAsync("status", [], cancellationToken).ConfigureAwait(false))["sync_info"]!;
        return (CometJson.Int(sync["latest_block_height"], "latest_block_height"), CometJson.Time(sync["latest_block_time"], "latest_block_time"));
    }

    /// <summary>Waits until the chain's latest height is at least <paramref name="height"/>.</summary>
    public async Task<long> WaitForHeightAsync(long height, CancellationToken cancellationToken = default)
    {
        for (int attempt = 0; ; attempt++)
        {
            var (latest, _) = await LatestAsync(cancellationToken).ConfigureAwait(false);
            if (latest >= height) return latest;
            if (attempt >= WaitAttempts) throw new RelayerException($"{ChainId}: still at height {latest}, waiting for {height}");
            await _nextBlock(cancellationToken).ConfigureAwait(false);
        }
    }

    public sealed record AbciAnswer(uint Code, string Codespace, string Log, byte[] Value, long Height, IReadOnlyList<(string Type, byte[] Key, byte[] Data)> ProofOps);

    public async Task<AbciAnswer> AbciQueryAsync(string path, byte[] data, long height, bool prove, CancellationToken cancellationToken = default)
    {
        var parameters = new JsonObject { ["path"] = path, ["data"] = Convert.ToHexString(data), ["prove"] = prove };
        if (height > 0) parameters["height"] = height.ToString(CultureInfo.InvariantCulture);
        JsonNode r = (await Rpc.CallAsync("abci_query", parameters, cancellationToken).ConfigureAwait(false))["response"]!;
        var ops = (r["proofOps"]?["ops"]?.AsArray() ?? []).Select(o => ((string)o!["type"]!,
            CometJson.Base64(o["key"], "proof key").ToByteArray(), CometJson.Base64(o["data"], "proof data").ToByteArray())).ToList();
        return new AbciAnswer((uint?)r["code"] ?? 0, (string?)r["codespace"] ?? "", (string?)r["log"] ?? "",
            CometJson.Base64(r["value"], "value").ToByteArray(), CometJson.Int(r["height"], "height"), ops);
    }

    /// <summary>A gRPC query as rly sends it: the method path in abci_query, the request's bytes as data.</summary>
    public async Task<T> QueryAsync<T>(string path, IMessage request, MessageParser<T> parser, long height = 0, CancellationToken cancellationToken = default)
        where T : IMessage<T>
    {
        AbciAnswer answer = await AbciQueryAsync(path, request.ToByteArray(), height, false, cancellationToken).ConfigureAwait(false);
        if (answer.Code != 0) throw new RelayerException($"{ChainId}: {path} refused (code {answer.Code} {answer.Codespace}): {answer.Log}", answer.Code, answer.Codespace);
        return parser.ParseFrom(answer.Value);
    }

    /// <summary>
    /// rly's <c>QueryTendermintProof</c>: the ibc store's value at <paramref name="key"/> with its proof, for a client
    /// that will know this chain's header <paramref name="height"/> (the state of height − 1, whose app hash header
    /// <paramref name="height"/> carries); the proof is ibc-go's MerkleProof (the IAVL op, then the store-root op).
    /// </summary>
    public async Task<(byte[] Value, byte[] Proof, IbcHeight ProofHeight)> ProveAsync(byte[] key, long height, CancellationToken cancellationToken = default)
    {
        if (height <= 2) throw new RelayerException($"{ChainId}: proof queries at height <= 2 are not supported");
        AbciAnswer answer = await AbciQueryAsync("store/ibc/key", key, height - 1, true, cancellationToken).ConfigureAwait(false);
        if (answer.Code != 0) throw new RelayerException($"{ChainId}: store/ibc/key refused (code {answer.Code}): {answer.Log}", answer.Code, answer.Codespace);
        if (answer.ProofOps.Count == 0) throw new RelayerException($"{ChainId}: store/ibc/key answered without proof ops");
        var proof = new MerkleProof();
        foreach (var op in answer.ProofOps) proof.Proofs.Add(CommitmentProof.Parser.ParseFrom(op.Data));
        return (answer.Value, proof.ToByteArray(), IbcHeight(answer.Height + 1));
    }

    public async Task<SignedHeader> SignedHeaderAsync(long height, CancellationToken cancellationToken = default)
    {
        JsonNode signed = (await Rpc.CallAsync("commit", new JsonObject { ["height"] = height.ToString(CultureInfo.InvariantCulture) }, cancellationToken).ConfigureAwait(false))["signed_header"]!;
        return new SignedHeader { Header = CometJson.Header(signed["header"]), Commit = CometJson.Commit(signed["commit"]) };
    }

    /// <summary>The validator set at <paramref name="height"/>, every page, its proposer the highest priority (ties: the
    /// first), total power summed: what CometBFT's <c>NewValidatorSet(...).ToProto()</c> gives rly.</summary>
    public async Task<ValidatorSet> ValidatorsAsync(long height, CancellationToken cancellationToken = default)
    {
        var set = new ValidatorSet();
        var priorities = new List<long>();
        for (int page = 1; ; page++)
        {
            JsonNode r = await Rpc.CallAsync("validators", new JsonObject
            {
                ["height"] = height.ToString(CultureInfo.InvariantCulture), ["page"] = page.ToString(CultureInfo.InvariantCulture), ["per_page"] = "100",
            }, cancellationToken).ConfigureAwait(false);
            foreach (JsonNode? v in r["validators"]!.AsArray())
            {
                set.Validators.Add(new DePinChain.Protos.Types.Validator
                {
                    Address = CometJson.Hex(v!["address"], "address"),
                    PubKey = new Protos.Crypto.PublicKey { Ed25519 = CometJson.Base64(v["pub_key"]!["value"], "pub_key") },
                    VotingPower = CometJson.Int(v["voting_power"], "voting_power"),
                    ProposerPriority = CometJson.Int(v!["proposer_priority"], "proposer_priority"),
                });
                priorities.Add(CometJson.Int(v!["proposer_priority"], "proposer_priority"));
            }
            if (set.Validators.Count >= CometJson.Int(r["total"], "total")) break;
        }
        set.TotalVotingPower = set.Validators.Sum(v => v.VotingPower);
        int proposer = priorities.IndexOf(priorities.Max());
        set.Proposer = set.Validators[proposer].Clone();
        return set;
    }

    /// <summary>The relayer account's number and sequence (<c>/cosmos.auth.v1beta1.Query/Account</c>).</summary>
    public async Task<(ulong Number, ulong Sequence)> AccountAsync(CancellationToken cancellationToken = default)
    {
        var answer = await QueryAsync("/cosmos.auth.v1beta1.Query/Account", new QueryAccountRequest { Address = Signer.Bech32 },
            QueryAccountResponse.Parser, 0, cancellationToken).ConfigureAwait(false);
        var account = answer.Account.Unpack<BaseAccount>();
        return (account.AccountNumber, account.Sequence);
    }

    /// <summary>
    /// Sends <paramref name="messages"/> in one tx as rly does: account query, Simulate for gas (× 1.5), fee at the gas
    /// price, signed TxRaw through broadcast_tx_sync, then <c>tx</c> until it is in a block. A refusal at any step
    /// (simulation, CheckTx, execution) is a <see cref="RelayerException"/> with the chain's code and log.
    /// </summary>
    public async Task<TxOutcome> SendAsync(IReadOnlyList<IMessage> messages, CancellationToken cancellationToken = default)
    {
        var (number, sequence) = await AccountAsync(cancellationToken).ConfigureAwait(false);
        var builder = new TxBuilder { Memo = "depinchain test relayer" };
        foreach (var m in messages) builder.AddMessage(m);

        builder.WithFee(GasDenom, 0, 0);
        var sim = new TxRaw { BodyBytes = builder.BuildBody().ToByteString(), AuthInfoBytes = builder.BuildAuthInfo([(Signer, sequence)]).ToByteString() };
        sim.Signatures.Add(ByteString.Empty);
        var simulated = await QueryAsync("/cosmos.tx.v1beta1.Service/Simulate", new SimulateRequest { TxBytes = sim.ToByteString() },
            SimulateResponse.Parser, 0, cancellationToken).ConfigureAwait(false);
        ulong gas = simulated.GasInfo.GasUsed * 3 / 2;
        builder.WithFee(GasDenom, ((long)gas * GasPriceMilli + 999) / 1000, gas);
        byte[] tx = builder.Sign(Signer, ChainId, number, sequence).ToByteArray();

        JsonNode sent = await Rpc.CallAsync("broadcast_tx_sync", new JsonObject { ["tx"] = Convert.ToBase64String(tx) }, cancellationToken).ConfigureAwait(false);
        uint code = (uint?)sent["code"] ?? 0;
        if (code != 0)
            throw new RelayerException($"{ChainId}: CheckTx refused the tx (code {code} {(string?)sent["codespace"]}): {(string?)sent["log"]}", code, (string?)sent["codespace"] ?? "");
        string hash = (string)sent["hash"]!;
        TxOutcome outcome = await WaitForTxAsync(hash, cancellationToken).ConfigureAwait(false);
        if (outcome.Code != 0)
            throw new RelayerException($"{ChainId}: the tx failed in block {outcome.Height} (code {outcome.Code} {outcome.Codespace}): {outcome.Log}", outcome.Code, outcome.Codespace);
        return outcome;
    }

    public async Task<TxOutcome> WaitForTxAsync(string hashHex, CancellationToken cancellationToken = default)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                JsonNode found = await Rpc.CallAsync("tx", new JsonObject { ["hash"] = Convert.ToBase64String(Convert.FromHexString(hashHex)), ["prove"] = false }, cancellationToken).ConfigureAwait(false);
                return ToOutcome(found);
            }
            catch (RelayerException e) when (e.Message.Contains("not found", StringComparison.Ordinal) && attempt < WaitAttempts)
            {
                await _nextBlock(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Committed txs matching a CometBFT event query (tx_search, every page, oldest first).</summary>
    public async Task<List<TxOutcome>> SearchTxsAsync(string query, CancellationToken cancellationToken = default)
    {
        var found = new List<TxOutcome>();
        for (int page = 1; ; page++)
        {
            JsonNode r = await Rpc.CallAsync("tx_search", new JsonObject
            {
                ["query"] = query, ["prove"] = false, ["page"] = page.ToString(CultureInfo.InvariantCulture), ["per_page"] = "100", ["order_by"] = "asc",
            }, cancellationToken).ConfigureAwait(false);
            found.AddRange(r["txs"]!.AsArray().Select(t => ToOutcome(t!)));
            if (found.Count >= CometJson.Int(r["total_count"], "total_count")) return found;
        }
    }

    private static TxOutcome ToOutcome(JsonNode tx)
    {
        JsonNode result = tx["tx_result"]!;
        return new TxOutcome((string)tx["hash"]!, CometJson.Int(tx["height"], "height"), (uint?)result["code"] ?? 0,
            (string?)result["codespace"] ?? "", (string?)result["log"] ?? "", [.. CometJson.Events(result["events"])]);
    }
}
