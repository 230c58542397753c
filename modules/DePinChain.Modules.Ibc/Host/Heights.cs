using System.Globalization;
using System.Text.RegularExpressions;
using DePinChain.Protos.Ibc.Core.Client.V1;

namespace DePinChain.Modules.Ibc.Host;

/// <summary>ibc-go's Height rules (02-client types/height.go): compared revision first, written "N-H", the revision
/// number of a chain id "name-N" (chain ids not of that form, or "name-0N", are revision 0).</summary>
public static partial class Heights
{
    public static Height Zero => new();

    public static Height Of(ulong revision, ulong height) => new() { RevisionNumber = revision, RevisionHeight = height };

    public static bool IsZero(Height? h) => h is null || (h.RevisionNumber == 0 && h.RevisionHeight == 0);

    public static int Compare(Height a, Height b)
    {
        var byRevision = a.RevisionNumber.CompareTo(b.RevisionNumber);
        return byRevision != 0 ? byRevision : a.RevisionHeight.CompareTo(b.RevisionHeight);
    }

    public static bool Lt(Height a, Height b) => Compare(a, b) < 0;

    public static bool Gt(Height a, Height b) => Compare(a, b) > 0;

    public static bool Gte(Height a, Height b) => Compare(a, b) >= 0;

    public static string Format(Height h) => $"{h.RevisionNumber}-{h.RevisionHeight}";

    /// <summary>Parses "N-H" (as ibc-go's ParseHeight).</summary>
    public static bool TryParse(string text, out Height height)
    {
        height = new Height();
        var parts = text.Split('-');
        if (parts.Length != 2) return false;
        if (!ulong.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var revision)) return false;
        if (!ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var h)) return false;
        height = Of(revision, h);
        return true;
    }

    [GeneratedRegex(@"^.*[^\n-]-{1}[1-9][0-9]*$")]
    private static partial Regex RevisionFormat();

    /// <summary>True when the chain id has ibc-go's revision format ("name-N", N without leading zero).</summary>
    public static bool IsRevisionFormat(string chainId) => RevisionFormat().IsMatch(chainId);

    /// <summary>The revision of a chain id: N for "name-N", else 0 (ibc-go's ParseChainID).</summary>
    public static ulong RevisionOf(string chainId)
    {
        if (!IsRevisionFormat(chainId)) return 0;
        var tail = chainId[(chainId.LastIndexOf('-') + 1)..];
        return ulong.TryParse(tail, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
    }

    /// <summary>This chain's height as IBC sees it: revision from the chain id, the block height.</summary>
    public static Height SelfHeight(string chainId, long blockHeight) => Of(RevisionOf(chainId), (ulong)blockHeight);
}
