// Signs a bank MsgSend with CosmJS (a client we did not write), offline, SIGN_MODE_DIRECT.
// stdin: {"mnemonic","chainId","accountNumber","sequence","to","amount","denom","fee","gas"}
// stdout: {"address","pubkeyBase64","txBase64"}
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { SigningStargateClient } from "@cosmjs/stargate";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString("utf8"));

const wallet = await DirectSecp256k1HdWallet.fromMnemonic(input.mnemonic, { prefix: "depin" });
const [account] = await wallet.getAccounts();
const client = await SigningStargateClient.offline(wallet);

const message = {
  typeUrl: "/cosmos.bank.v1beta1.MsgSend",
  value: {
    fromAddress: account.address,
    toAddress: input.to,
    amount: [{ denom: input.denom, amount: String(input.amount) }],
  },
};
const fee = { amount: [{ denom: input.denom, amount: String(input.fee) }], gas: String(input.gas) };
const signed = await client.sign(account.address, [message], fee, input.memo ?? "", {
  accountNumber: Number(input.accountNumber),
  sequence: Number(input.sequence),
  chainId: input.chainId,
});
const txBytes = TxRaw.encode(signed).finish();
process.stdout.write(JSON.stringify({
  address: account.address,
  pubkeyBase64: Buffer.from(account.pubkey).toString("base64"),
  txBase64: Buffer.from(txBytes).toString("base64"),
}) + "\n");
