namespace Loops.Core.Policies;

/// <summary>The exploration algorithms a <see cref="BanditPolicy"/> can run; see <see cref="BanditAlgorithms"/> for their names.</summary>
public enum BanditAlgorithm
{
    /// <summary>"epsilon_greedy": a linear reward model; ε spread evenly, the rest on the best action (the default).</summary>
    EpsilonGreedy = 0,

    /// <summary>"softmax": a linear reward model; probabilities proportional to exp(λ·score / reward scale).</summary>
    Softmax = 1,

    /// <summary>"squarecb": a linear reward model; SquareCB's inverse-gap weighting with γ growing as √t.</summary>
    SquareCb = 2,

    /// <summary>"bagging": several linear reward models on online Poisson bootstraps; each votes for its best action.</summary>
    Bagging = 3,

    /// <summary>"linucb": ridge regression with its covariance; the action with the highest upper confidence bound.</summary>
    LinUcb = 4,

    /// <summary>"thompson": ridge regression with its covariance; linear Thompson sampling.</summary>
    Thompson = 5,
}
