using DePinChain.App;
using DePinChain.Modules.Coverage;
using DePinChain.Modules.DataCredits;
using DePinChain.Modules.Devices;
using DePinChain.Modules.Distribution;
using DePinChain.Modules.Ibc;
using DePinChain.Modules.Mint;
using DePinChain.Modules.Rewards;
using DePinChain.Modules.Slashing;
using DePinChain.Modules.Staking;
using DePinChain.Modules.Transfer;
using DePinChain.Sdk;
using Grpc.Core;

namespace DePinChain.Api.Grpc;

/// <summary>
/// The gRPC status of a rejected query, from its (codespace, code) as ABCI Query reports it. The SDK's query servers
/// answer a missing record with NotFound and a malformed request or address with InvalidArgument, and anything else
/// (a registered error with no gRPC code) with Unknown; the same errors of ours map the same way. The errors are
/// named by the modules' own definitions (their codes are never renumbered), so the table cannot drift from them.
/// </summary>
public static class GrpcStatusMap
{
    private static readonly Dictionary<(string Codespace, uint Code), StatusCode> Codes = Build();

    public static StatusCode For(AppQueryResult result) => For(result.Codespace, result.Code);

    public static StatusCode For(string codespace, uint code)
        => code == 0 ? StatusCode.OK : Codes.GetValueOrDefault((codespace, code), StatusCode.Unknown);

    private static Dictionary<(string, uint), StatusCode> Build()
    {
        var map = new Dictionary<(string, uint), StatusCode>();
        void Add(StatusCode status, params SdkError[] errors)
        {
            foreach (var e in errors) map.Add((e.Codespace, e.Code), status);
        }
        Add(StatusCode.NotFound,
            SdkErrors.NotFound(""), SdkErrors.KeyNotFound(""), SdkErrors.UnknownAddress(""),
            DevicesErrors.DeviceNotFound(), DevicesErrors.MakerNotFound(""), CoverageErrors.DenyEntryNotFound(),
            RewardsErrors.NotFound(""), StakingErrors.NoValidatorFound(), StakingErrors.NoDelegation(),
            DistributionErrors.NoValidatorExists(""), DistributionErrors.NoDelegationExists("", ""),
            SlashingErrors.NoValidatorForAddress(),
            IbcErrors.Client.ClientNotFound(), IbcErrors.Client.ConsensusStateNotFound(), IbcErrors.Connection.ConnectionNotFound(),
            IbcErrors.Channel.ChannelNotFound(), IbcErrors.Channel.SequenceSendNotFound(), IbcErrors.Channel.SequenceReceiveNotFound(),
            TransferErrors.TraceNotFound());
        Add(StatusCode.InvalidArgument,
            SdkErrors.InvalidRequest(""), SdkErrors.InvalidAddress(""), SdkErrors.InvalidCoins(""), SdkErrors.InvalidPubKey(""),
            SdkErrors.InvalidType(""), SdkErrors.TxDecode(""), SdkErrors.JsonUnmarshal(""),
            MintErrors.InvalidRequest(""), RewardsErrors.InvalidRequest(""), DataCreditsErrors.InvalidRequest(""),
            StakingErrors.EmptyValidatorAddr(), StakingErrors.EmptyDelegatorAddr(),
            DistributionErrors.EmptyDelegatorAddr(), DistributionErrors.EmptyValidatorAddr(),
            IbcErrors.Host.InvalidId(), TransferErrors.InvalidDenomForTransfer());
        // An unknown path never reaches a served method; a feature we lack is Unimplemented, as in the SDK.
        Add(StatusCode.Unimplemented, SdkErrors.UnknownRequest(""), SdkErrors.NotSupported(""));
        return map;
    }
}
