using System.CommandLine;
using System.Text.Json.Nodes;
using DePinChain.Crypto.Keyring;
using static DePinChain.Cli.Commands.CommandHelpers;

namespace DePinChain.Cli.Commands;

/// <summary>
/// `keys add|list|show|delete|export|import`. Secrets (mnemonic, passphrases) are read from stdin, one per line; typed on a
/// terminal, passphrases are not echoed, and one that seals a new key or export is asked twice.
/// </summary>
internal static class KeysCommands
{
    public static Command Create(GlobalOptions g, CliContext context)
    {
        var keys = new Command("keys", "Manage account keys (BIP-39 mnemonics, m/44'/118'/0'/0/0, secp256k1)");

        var addName = Arg("name", "Key name");
        var recover = Flag("--recover", "Recover the key from a mnemonic read from stdin instead of generating one");
        var add = new Command("add", "Create a key (prints its mnemonic once) or recover one with --recover") { addName, recover };
        add.SetAction(result =>
        {
            RequireKeyName(result.GetValue(addName)!);
            var keyring = result.OpenKeyring(g, context, sealsNewKey: true);
            string? mnemonic = result.GetValue(recover) ? context.ReadLine("the mnemonic", "Enter your BIP-39 mnemonic: ") : null;
            NewKey key = keyring.Add(result.GetValue(addName)!, mnemonic);
            if (result.Json(g))
            {
                var json = Describe(key.Info);
                if (mnemonic is null)
                    json["mnemonic"] = key.Mnemonic;
                context.WriteJson(json);
            }
            else
            {
                WriteText(context, key.Info);
                if (mnemonic is null)
                {
                    context.Out.WriteLine();
                    context.Out.WriteLine("Write this mnemonic down and keep it safe; it is the only way to recover the key:");
                    context.Out.WriteLine(key.Mnemonic);
                }
            }
            return 0;
        });

        var list = new Command("list", "List the keys");
        list.SetAction(result =>
        {
            var all = result.OpenKeyring(g, context).List();
            if (result.Json(g))
                context.WriteJson(new JsonArray(all.Select(k => (JsonNode)Describe(k)).ToArray()));
            else
                foreach (KeyInfo k in all)
                    context.Out.WriteLine($"{k.Name}\t{k.Address}");
            return 0;
        });

        var showName = Arg("name", "Key name or address");
        var addressOnly = Flag("--address", "Print only the address");
        var show = new Command("show", "Show a key's address and public key") { showName, addressOnly };
        show.SetAction(result =>
        {
            KeyInfo k = result.OpenKeyring(g, context).Get(result.GetValue(showName)!);
            if (result.GetValue(addressOnly))
                context.Out.WriteLine(k.Address);
            else if (result.Json(g))
                context.WriteJson(Describe(k));
            else
                WriteText(context, k);
            return 0;
        });

        var deleteName = Arg("name", "Key name");
        var yes = Flag("--yes", "Do not ask for confirmation");
        var delete = new Command("delete", "Delete a key") { deleteName, yes };
        delete.SetAction(result =>
        {
            string name = result.GetValue(deleteName)!;
            var keyring = result.OpenKeyring(g, context);
            keyring.Get(name);
            if (!result.GetValue(yes) && context.ReadLine("a confirmation (or pass --yes)", $"Delete key '{name}'? [y/N]: ").Trim().ToLowerInvariant() is not ("y" or "yes"))
                throw new CliException("aborted: key not deleted");
            keyring.Delete(name);
            context.Out.WriteLine($"Key '{name}' deleted");
            return 0;
        });

        var exportName = Arg("name", "Key name");
        var export = new Command("export", "Print a key as armored JSON encrypted with an export passphrase (read from stdin)") { exportName };
        export.SetAction(result =>
        {
            var keyring = result.OpenKeyring(g, context);
            string passphrase = context.ReadNewSecret("the export passphrase", "Enter export passphrase: ", "Re-enter export passphrase: ");
            context.Out.WriteLine(keyring.Export(result.GetValue(exportName)!, passphrase));
            return 0;
        });

        var importName = Arg("name", "Name for the imported key");
        var importFile = Arg("file", "Armored key file written by `keys export`");
        var import = new Command("import", "Import an armored key (its export passphrase is read from stdin)") { importName, importFile };
        import.SetAction(result =>
        {
            RequireKeyName(result.GetValue(importName)!);
            string path = result.GetValue(importFile)!;
            if (!File.Exists(path))
                throw new CliException($"{path}: no such file");
            var keyring = result.OpenKeyring(g, context, sealsNewKey: true);
            string passphrase = context.ReadSecret("the export passphrase", "Enter export passphrase: ");
            KeyInfo k = keyring.Import(result.GetValue(importName)!, File.ReadAllText(path), passphrase);
            context.Out.WriteLine($"Imported {k.Name} ({k.Address})");
            return 0;
        });

        keys.Subcommands.Add(add);
        keys.Subcommands.Add(list);
        keys.Subcommands.Add(show);
        keys.Subcommands.Add(delete);
        keys.Subcommands.Add(export);
        keys.Subcommands.Add(import);
        return keys;
    }

    /// <summary>A name a new key may have; anything else is a usage error (exit 2).</summary>
    private static void RequireKeyName(string name)
    {
        if (!DirectoryKeyring.IsValidName(name))
            throw new CliUsageException($"invalid key name '{name}': use 1-64 letters, digits, '-', '_' or '.'");
    }

    private static JsonObject Describe(KeyInfo k) => new()
    {
        ["name"] = k.Name,
        ["type"] = "local",
        ["address"] = k.Address,
        ["pubkey"] = new JsonObject { ["@type"] = "/cosmos.crypto.secp256k1.PubKey", ["key"] = Convert.ToBase64String(k.PublicKey) },
    };

    private static void WriteText(CliContext context, KeyInfo k)
    {
        context.Out.WriteLine($"name: {k.Name}");
        context.Out.WriteLine($"address: {k.Address}");
        context.Out.WriteLine($"pubkey: {Convert.ToBase64String(k.PublicKey)} ({k.Algorithm})");
    }
}
