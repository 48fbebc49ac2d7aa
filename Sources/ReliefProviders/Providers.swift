import ReliefCore
