using DePinChain.Sdk;

namespace DePinChain.App.Tests;

public class OrderedPipelineTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void Every_item_is_computed_once_and_read_in_order_whoever_computes_it(int workers)
    {
        const int count = 2_000;
        var calls = new int[count];
        using var pipeline = new OrderedPipeline<long>(count, i =>
        {
            Interlocked.Increment(ref calls[i]);
            long value = i;
            for (int k = 0; k < 200; k++) value = value * 31 + k; // some work, so workers and reader interleave
            return value;
        }, workers);

        for (int i = 0; i < count; i++)
        {
            long expected = i;
            for (int k = 0; k < 200; k++) expected = expected * 31 + k;
            Assert.Equal(expected, pipeline.Take(i));
        }
        pipeline.Dispose();
        Assert.All(calls, c => Assert.Equal(1, c));
    }

    [Fact]
    public void An_item_that_throws_rethrows_where_it_is_read_and_the_others_still_arrive()
    {
        using var pipeline = new OrderedPipeline<int>(50, i => i == 20 ? throw new InvalidDataException("item 20") : i * 2, workers: 1);

        for (int i = 0; i < 20; i++) Assert.Equal(i * 2, pipeline.Take(i));
        var error = Assert.Throws<InvalidDataException>(() => pipeline.Take(20));
        Assert.Equal("item 20", error.Message);
        Assert.Equal(42, pipeline.Take(21));
    }

    [Fact]
    public void An_item_is_taken_once()
    {
        using var pipeline = new OrderedPipeline<string>(3, i => $"item {i}", workers: 1);
        Assert.Equal("item 0", pipeline.Take(0));
        Assert.Throws<InvalidOperationException>(() => pipeline.Take(0));
        Assert.Equal("item 1", pipeline.Take(1));
    }

    [Fact]
    public void Disposing_before_reading_everything_stops_the_workers()
    {
        var pipeline = new OrderedPipeline<int>(100_000, i => i, workers: 2);
        Assert.Equal(0, pipeline.Take(0));
        pipeline.Dispose(); // returns: the workers are joined
    }
}
