using DePinChain.Modules.Ibc.Host;
using DePinChain.Protos.Ibc.LightClients.Tendermint.V1;
using DePinChain.Sdk;

namespace DePinChain.Modules.Ibc.Client.Tendermint;

/// <summary>
/// 07-tendermint's header and misbehaviour checks (verifyHeader, verifyMisbehaviour): the trusted consensus state, the
/// trusted validators hashing to its next_validators_hash, same revision, increasing height, then CometBFT's
/// light-client verification of the signed header. The CometBFT part is DePinChain.Comet's LightVerifier, which is not
/// on this branch yet: until it is, every header is refused after the checks below (no header is ever accepted
/// unverified).
/// </summary>
public static class TendermintHeaderVerifier
{
    public static void VerifyHeader(Context ctx, string clientId, ClientState cs, Header header)
    {
        CheckHeaderShape(header);
        var trusted = TendermintLightClient.GetConsensusState(ctx, clientId, header.TrustedHeight ?? Heights.Zero)
            ?? throw IbcErrors.Client.ConsensusStateNotFound($"could not get trusted consensus state from clientStore for Header at TrustedHeight: {Heights.Format(header.TrustedHeight ?? Heights.Zero)}");
        var height = TendermintLightClient.HeightOf(header);
        if (height.RevisionNumber != header.TrustedHeight!.RevisionNumber)
            throw TendermintErrors.InvalidHeaderHeight($"header height revision {height.RevisionNumber} does not match trusted header revision {header.TrustedHeight.RevisionNumber}");
        if (!Heights.Gt(height, header.TrustedHeight))
            throw IbcErrors.Client.InvalidHeader($"header height ≤ consensus state height ({Heights.Format(height)} ≤ {Heights.Format(header.TrustedHeight)})");
        _ = trusted;
        _ = cs;
        throw IbcErrors.Client.InvalidHeader("failed to verify header: CometBFT light-client verification is not available in this build");
    }

    public static void VerifyMisbehaviour(Context ctx, string clientId, ClientState cs, Misbehaviour misbehaviour)
    {
        if (misbehaviour.Header1 is null || misbehaviour.Header2 is null) throw IbcErrors.Client.InvalidMisbehaviour("misbehaviour headers cannot be nil");
        VerifyHeader(ctx, clientId, cs, misbehaviour.Header1);
        VerifyHeader(ctx, clientId, cs, misbehaviour.Header2);
    }

    private static void CheckHeaderShape(Header header)
    {
        if (header.SignedHeader?.Header is null) throw IbcErrors.Client.InvalidHeader("tendermint signed header cannot be nil");
        if (header.SignedHeader.Commit is null) throw IbcErrors.Client.InvalidHeader("tendermint commit cannot be nil");
        if (header.ValidatorSet is null) throw TendermintErrors.InvalidValidatorSet("validator set is nil");
        if (header.TrustedValidators is null) throw TendermintErrors.InvalidValidatorSet("trusted validator set is nil");
        if (header.TrustedHeight is null) throw TendermintErrors.InvalidHeaderHeight("trusted height cannot be nil");
    }
}
