namespace DePinChain.Store.Tests.Proofs;

public class ReferenceIcs23VerifierTests
{
    [Fact]
    public void The_reference_accepts_every_official_vector()
    {
        var cases = Ics23TestVectors.Valid().ToList();

        var verdicts = ReferenceIcs23Verifier.VerifyWithReasons(cases.Select(c => c.ToReference()));

        Assert.Equal(cases.Count, verdicts.Count);
        Assert.All(cases.Zip(verdicts), pair => Assert.True(pair.Second.Ok, $"{pair.First.Name}: {pair.Second.Error}"));
    }

    [Fact]
    public void The_reference_and_our_verifier_reject_every_tampered_proof()
    {
        var cases = Ics23TestVectors.Tampered().ToList();

        var reference = ReferenceIcs23Verifier.Verify(cases.Select(c => c.ToReference()));

        Assert.True(cases.Count > 50);
        Assert.All(cases.Zip(reference), pair =>
        {
            Assert.False(pair.Second, $"reference accepted {pair.First.Name}");
            Assert.False(pair.First.VerifyWithOurs().IsValid, $"we accepted {pair.First.Name}");
        });
    }

    [Fact]
    public void Non_existence_proofs_under_the_other_spec_are_rejected_by_both()
    {
        var cases = Ics23TestVectors.UnderTheOtherSpec().Where(c => c.Value is null).ToList();

        var reference = ReferenceIcs23Verifier.Verify(cases.Select(c => c.ToReference()));

        Assert.All(cases.Zip(reference), pair =>
        {
            Assert.False(pair.Second, $"reference accepted {pair.First.Name}");
            Assert.False(pair.First.VerifyWithOurs().IsValid, $"we accepted {pair.First.Name}");
        });
    }

    [Fact]
    public void An_empty_batch_needs_no_node_run()
        => Assert.Empty(ReferenceIcs23Verifier.Verify([]));
}
