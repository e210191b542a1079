namespace Loops.Training;

/// <summary>The last rewards of one model's own decisions (on-policy), with a normal interval of their mean.</summary>
internal sealed class RewardWindow(int capacity)
{
    private readonly Queue<double> _rewards = new();
    private double _sum;
    private double _sumOfSquares;

    public int Count => _rewards.Count;

    public double Mean => Count == 0 ? 0 : _sum / Count;

    /// <summary>The standard error of the mean.</summary>
    public double StandardError
    {
        get
        {
            if (Count < 2)
            {
                return double.PositiveInfinity;
            }

            var variance = Math.Max(0, (_sumOfSquares - (_sum * _sum / Count)) / (Count - 1));
            return Math.Sqrt(variance / Count);
        }
    }

    public void Add(double reward)
    {
        _rewards.Enqueue(reward);
        _sum += reward;
        _sumOfSquares += reward * reward;
        if (_rewards.Count > capacity)
        {
            var old = _rewards.Dequeue();
            _sum -= old;
            _sumOfSquares -= old * old;
        }
    }
}
