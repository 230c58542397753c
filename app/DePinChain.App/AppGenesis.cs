using System.Text;
using System.Text.Json;
using DePinChain.Protos.Abci;
using DePinChain.Sdk;
using DePinChain.Store;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace DePinChain.App;

/// <summary>
/// The chain's genesis both ways: InitChain imports every module's section of <c>app_state</c> into the working state
/// (in <see cref="AppModules"/> order) with the chain's settings; export writes every module's state at a committed
/// height back as <c>app_state</c>. InitChain is a consensus call; export reads committed state only.
/// </summary>
internal sealed class AppGenesis(ICommitMultiStore store, CommittedState committed, AppModules modules, ChainSettings chain, TxRunner runner, ILogger logger)
{
    private const string GenUtilSection = GenesisTxs.Section;

    public ResponseInitChain InitChain(RequestInitChain request)
    {
        if (store.LastCommitId.Version != 0)
            throw new InvalidOperationException($"InitChain at height {store.LastCommitId.Version}: the chain is already initialized");
        if (string.IsNullOrEmpty(request.ChainId)) throw new InvalidOperationException("InitChain without a chain id");

        var genesisStates = ReadAppState(request.AppStateBytes);
        var branch = store.Branch();
        var ctx = new Context(branch, new BlockHeader(request.ChainId, request.InitialHeight, AbciConvert.Time(request.Time)), ExecMode.Genesis,
            GasMeter.Infinite(), new EventManager(), logger);
        ChainSettings.Store(branch, request.ChainId, request.ConsensusParams);
        foreach (var module in modules.Modules)
        {
            string json = genesisStates.GetValueOrDefault(module.Name) ?? module.DefaultGenesis();
            try
            {
                module.ValidateGenesis(json);
                module.InitGenesis(ctx, json);
            }
            catch (SdkError e)
            {
                throw new InvalidOperationException($"genesis of module {module.Name} is invalid: {e.Message}", e);
            }
        }
        // Genesis txs (gentxs: each validator's signed MsgCreateValidator) run after every module's genesis, as the SDK's
        // genutil does, through the same tx path as any block's txs; one that fails makes the genesis invalid.
        DeliverGenesisTxs(branch, ctx.Header, genesisStates.GetValueOrDefault(GenUtilSection));
        var response = new ResponseInitChain();
        response.Validators.AddRange(InitialValidators(ctx, request));
        // Written into the working state only; the first Commit persists genesis together with block 1.
        branch.Write();
        chain.Apply(request.ChainId, request.ConsensusParams);
        byte[] appHash = store.WorkingHash();
        logger.LogInformation("InitChain chain_id={ChainId} modules={Modules} app_hash={AppHash}",
            request.ChainId, string.Join(",", modules.Modules.Select(m => m.Name)), Convert.ToHexString(appHash));
        response.AppHash = ByteString.CopyFrom(appHash);
        return response;
    }

    private void DeliverGenesisTxs(IMultiStore branch, BlockHeader header, string? section)
    {
        if (section is null) return;
        foreach (var (bytes, index) in GenesisTxs.Read(section, modules).Select((b, i) => (b, i)))
        {
            var outcome = runner.Run(branch, header, ExecMode.Genesis, bytes);
            if (outcome.Code != 0)
                throw new InvalidOperationException($"genesis tx {index} failed: code {outcome.Code} ({outcome.Codespace}): {outcome.Log}");
        }
    }

    // The validators CometBFT starts with. When staking's genesis has a set, it is the answer, and CometBFT's own list (its
    // genesis.json "validators") must be empty or the same set. When it has none, CometBFT's list stands unchanged: a
    // chain made by a stock `cometbft init` runs with that fixed set, and no stake can change it.
    private IEnumerable<DePinChain.Protos.Abci.ValidatorUpdate> InitialValidators(Context ctx, RequestInitChain request)
    {
        var set = modules.ValidatorSet?.InitialValidatorSet(ctx) ?? [];
        if (set.Count == 0)
        {
            if (request.Validators.Count > 0)
                logger.LogWarning("staking genesis has no validators: CometBFT's {Count} genesis validators stay the fixed set", request.Validators.Count);
            return request.Validators;
        }
        var ours = AbciConvert.ValidatorUpdates(set);
        if (request.Validators.Count > 0)
        {
            static string Describe(IEnumerable<DePinChain.Protos.Abci.ValidatorUpdate> vs) => string.Join(",", vs
                .Select(v => Convert.ToHexString(v.PubKey?.ToByteArray() ?? []) + ":" + v.Power)
                .Order(StringComparer.Ordinal));
            string theirs = Describe(request.Validators), mine = Describe(ours);
            if (theirs != mine)
                throw new InvalidOperationException(
                    $"genesis validators mismatch: genesis.json lists {theirs} but staking's genesis (gentxs) gives {mine}; " +
                    "empty genesis.json's \"validators\" (collect-gentxs does) or make them match");
        }
        return ours;
    }

    private Dictionary<string, string> ReadAppState(ByteString appStateBytes)
    {
        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        if (appStateBytes.IsEmpty) return states;
        try
        {
            using var doc = JsonDocument.Parse(appStateBytes.Memory);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new InvalidOperationException("app_state must be a JSON object");
            var known = modules.Modules.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (!known.Contains(property.Name) && property.Name != GenUtilSection) throw new InvalidOperationException($"app_state has an unknown module \"{property.Name}\"");
                states[property.Name] = property.Value.GetRawText();
            }
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"app_state is not valid JSON: {e.Message}", e);
        }
        return states;
    }

    /// <summary>Every module's genesis from the state committed at <paramref name="height"/> (0 = latest), as the app_state JSON object.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative, or above the latest committed height.</exception>
    /// <exception cref="VersionNotFoundException">That height was pruned.</exception>
    public string Export(long height)
    {
        long latest = committed.LatestHeight;
        if (height < 0 || height > latest)
            throw new ArgumentOutOfRangeException(nameof(height), height, $"cannot export height {height}; latest committed height is {latest}");
        if (height == 0) height = latest;
        var view = committed.ViewAt(height);
        var ctx = new Context(view.Branch(), new BlockHeader(chain.ChainId, height, DateTimeOffset.UnixEpoch), ExecMode.Query,
            GasMeter.Infinite(), new EventManager(), logger);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            foreach (var module in modules.Modules)
            {
                writer.WritePropertyName(module.Name);
                using var doc = JsonDocument.Parse(module.ExportGenesis(ctx));
                doc.WriteTo(writer);
            }
            // The genesis txs are in the exported staking state already; an exported genesis carries none (as the SDK's).
            writer.WritePropertyName(GenUtilSection);
            writer.WriteStartObject();
            writer.WritePropertyName("gen_txs");
            writer.WriteStartArray();
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
