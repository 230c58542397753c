using DePinChain.Protos.Depin.Rewards.V1;
using DePinChain.Sdk;

namespace DePinChain.Modules.Rewards;

/// <summary>The rewards <c>service Msg</c>: for each rpc, its stateless checks (ValidateBasic) and its handler.</summary>
public sealed class RewardsMsgServer(RewardsKeeper keeper)
{
    public void Register(MsgRouter router)
    {
        router.Register(MsgUpdateParams.Parser, ValidateUpdateParams, UpdateParams);
        router.Register(MsgClaimRewards.Parser, ValidateClaim, ClaimRewards);
    }

    /// <summary>At most this many devices per claim: a claim's work is bounded like a payout chunk's.</summary>
    public const int MaxClaimDevices = 100;

    public static void ValidateClaim(MsgClaimRewards m)
    {
        Bech32Address.Parse(m.Owner);
        if (m.DeviceKeys.Count is 0 or > MaxClaimDevices) throw RewardsErrors.InvalidRequest($"a claim lists 1 to {MaxClaimDevices} devices, not {m.DeviceKeys.Count}");
        var seen = new HashSet<string>(StringComparer.Ordinal); // membership only
        foreach (var key in m.DeviceKeys)
        {
            if (key.Length is 0 or > 255) throw RewardsErrors.InvalidRequest($"device key of {key.Length} bytes (expected 1 to 255)");
            if (!seen.Add(Convert.ToHexString(key.Span))) throw RewardsErrors.InvalidRequest($"device {Convert.ToHexString(key.Span)} is listed twice");
        }
    }

    /// <summary>Settles every unpaid reward of the listed devices (each owned by the signer) and pays it now.</summary>
    public MsgClaimRewardsResponse ClaimRewards(Context ctx, MsgClaimRewards m)
    {
        var owner = Bech32Address.Parse(m.Owner);
        var devices = new List<byte[]>(m.DeviceKeys.Count);
        foreach (var key in m.DeviceKeys)
        {
            var device = key.ToByteArray();
            if (keeper.DeviceOwner(ctx, device) is not { } current) throw RewardsErrors.NotFound($"device {Convert.ToHexString(device)}");
            if (!current.AsSpan().SequenceEqual(owner)) throw RewardsErrors.NotOwner(Convert.ToHexString(device), m.Owner);
            devices.Add(device);
        }
        var response = new MsgClaimRewardsResponse();
        var total = System.Numerics.BigInteger.Zero;
        foreach (var record in keeper.SettleDevices(ctx, devices))
        {
            response.Records.Add(record);
            total += Amounts.Parse(record.Amount, "amount");
            ctx.Events.Emit(SdkEvent.Of("rewards_claimed", ("owner", m.Owner), ("device", Convert.ToHexString(record.DeviceKey.Span)),
                ("epoch", record.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("amount", record.Amount)));
        }
        response.Amount = Amounts.Format(total);
        return response;
    }

    public static void ValidateUpdateParams(MsgUpdateParams m)
    {
        Bech32Address.Parse(m.Authority);
        ValidateParams(m.Params ?? throw RewardsErrors.InvalidParams("params are missing"));
    }

    /// <summary>Replaces every param, the authority included (a handover). Authority only.</summary>
    public MsgUpdateParamsResponse UpdateParams(Context ctx, MsgUpdateParams m)
    {
        RewardsErrors.Authority.Require(keeper.GetAuthority(ctx), m.Authority);
        keeper.SetParams(ctx, m.Params);
        ctx.Events.Emit(SdkEvent.Of("rewards_params_updated", ("params", m.Params.ToString())));
        return new MsgUpdateParamsResponse();
    }

    /// <summary>The shares sum to 10,000 bps, the retention is not negative, the authority is an address.</summary>
    public static void ValidateParams(Params p)
    {
        if (RewardsKeeper.SharesOf(p).Validate() is { } why) throw RewardsErrors.InvalidParams(why);
        if (p.RecordRetentionEpochs < 0) throw RewardsErrors.InvalidParams("record_retention_epochs must not be negative");
        if (p.PayoutDevicesPerBlock == 0) throw RewardsErrors.InvalidParams("payout_devices_per_block must be at least 1");
        if (ModuleAuthority.Problem(p.Authority) is { } authorityProblem) throw RewardsErrors.InvalidParams(authorityProblem);
    }
}
