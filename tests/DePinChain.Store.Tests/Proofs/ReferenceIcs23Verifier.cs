using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DePinChain.Store.Tests.Proofs;

/// <summary>One proof for the reference verifier. <paramref name="Value"/> null asks for non-membership.</summary>
/// <param name="Spec">"iavl" or "tendermint".</param>
/// <param name="Proof">A serialized <c>cosmos.ics23.v1.CommitmentProof</c>.</param>
public sealed record ReferenceProofCase(string Spec, byte[] Root, byte[] Proof, byte[] Key, byte[]? Value)
{
    public static ReferenceProofCase Iavl(byte[] root, byte[] proof, byte[] key, byte[]? value) => new("iavl", root, proof, key, value);

    public static ReferenceProofCase Tendermint(byte[] root, byte[] proof, byte[] key, byte[]? value) => new("tendermint", root, proof, key, value);
}

/// <summary>
/// Verifies proofs with the reference TypeScript ICS-23 implementation (@confio/ics23, pinned in tests/js), all
/// cases of a call in one <c>node tests/js/ics23-verify.mjs</c> run. Needs Node.js and `npm install` in tests/js
/// (`make setup` does both).
/// </summary>
public static class ReferenceIcs23Verifier
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>The reference verdict for each case, in order.</summary>
    public static IReadOnlyList<bool> Verify(IEnumerable<ReferenceProofCase> cases)
        => VerifyWithReasons(cases).Select(v => v.Ok).ToList();

    /// <summary>The reference verdict for each case, in order, with its reason when rejected.</summary>
    public static IReadOnlyList<(bool Ok, string? Error)> VerifyWithReasons(IEnumerable<ReferenceProofCase> cases)
    {
        var list = cases.ToList();
        if (list.Count == 0) return [];

        var jsDir = Path.Combine(RepoRoot.Path, "tests", "js");
        var script = Path.Combine(jsDir, "ics23-verify.mjs");
        if (!Directory.Exists(Path.Combine(jsDir, "node_modules", "@confio", "ics23")))
            throw new InvalidOperationException($"@confio/ics23 is not installed in {jsDir}: run `make setup` (or `npm install` there)");

        var start = new ProcessStartInfo("node", [script])
        {
            WorkingDirectory = jsDir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("Node.js (`node`) is needed for the ICS-23 cross-check: run `make setup`", e);
        }

        using (process)
        {
            // Read while writing: a large batch would otherwise fill both pipes and deadlock.
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            for (var i = 0; i < list.Count; i++) process.StandardInput.WriteLine(Request(i, list[i]));
            process.StandardInput.Close();

            if (!process.WaitForExit(Timeout))
            {
                process.Kill();
                throw new TimeoutException($"ics23-verify.mjs did not finish {list.Count} proofs within {Timeout}");
            }
            var output = stdout.GetAwaiter().GetResult();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"ics23-verify.mjs exited with {process.ExitCode}: {stderr.GetAwaiter().GetResult()}");

            var verdicts = new (bool Ok, string? Error)?[list.Count];
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var reply = JsonNode.Parse(line)!.AsObject();
                var id = reply["id"]?.GetValue<int>()
                    ?? throw new InvalidOperationException($"ics23-verify.mjs could not read a request: {reply["error"]}");
                verdicts[id] = (reply["ok"]!.GetValue<bool>(), reply["error"]?.GetValue<string>());
            }
            return verdicts.Select((v, i) => v ?? throw new InvalidOperationException($"ics23-verify.mjs gave no answer for case {i}")).ToList();
        }
    }

    private static string Request(int id, ReferenceProofCase c) => new JsonObject
    {
        ["id"] = id,
        ["spec"] = c.Spec,
        ["root"] = Convert.ToHexString(c.Root),
        ["proof"] = Convert.ToBase64String(c.Proof),
        ["key"] = Convert.ToHexString(c.Key),
        ["value"] = c.Value is null ? null : Convert.ToHexString(c.Value),
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
}

/// <summary>The repository root: the nearest directory above the test binaries that holds DePinChain.sln.</summary>
public static class RepoRoot
{
    private static readonly Lazy<string> Root = new(Find);

    public static string Path => Root.Value;

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "DePinChain.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"DePinChain.sln not found above {AppContext.BaseDirectory}");
    }
}
