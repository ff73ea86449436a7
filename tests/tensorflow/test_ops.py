"""The TensorFlow-named functions: values as TensorFlow defines them, gradients
checked against float64 finite differences."""

import numpy as np
import pytest

import ndgrad
import ndgrad.tensorflow as tf

RNG = np.random.default_rng(0)
X = RNG.normal(size=(3, 4))


@pytest.mark.parametrize("function", [
    lambda x: tf.reduce_sum(x, axis=1),
    lambda x: tf.reduce_mean(x, axis=[0, 1], keepdims=True),
    lambda x: tf.reduce_max(x, axis=0),
    lambda x: tf.reduce_logsumexp(x, axis=-1),
    lambda x: tf.math.reduce_std(x),
    lambda x: tf.math.reduce_variance(x, axis=0),
    lambda x: tf.math.reduce_euclidean_norm(x, axis=1),
    lambda x: tf.matmul(x, x, transpose_b=True),
    lambda x: tf.matmul(x, x, transpose_a=True),
    lambda x: tf.concat([x, x * 2], axis=1),
    lambda x: tf.stack(tf.unstack(x, axis=1), axis=0),
    lambda x: tf.split(x, [1, -1], axis=1)[1],
    lambda x: tf.gather(x, [2, 0, 2], axis=0),
    lambda x: tf.gather(x, [3, 1], axis=1),
    lambda x: tf.transpose(tf.reshape(x, [2, 6])),
    lambda x: tf.tile(tf.expand_dims(x, 0), [2, 1, 1]),
    lambda x: tf.squeeze(tf.reshape(x, [1, 12, 1])),
    lambda x: tf.where(x > 0, x, x * x),
    lambda x: tf.clip_by_value(x, -0.5, 0.5),
    lambda x: tf.clip_by_norm(x, 1.0),
    lambda x: tf.clip_by_global_norm([x, x * 2], 1.0)[0][1],
    lambda x: tf.pad(x, [[1, 0], [0, 2]], mode="REFLECT"),
    lambda x: tf.sort(x, axis=1, direction="DESCENDING"),
    lambda x: tf.math.top_k(x, k=2).values,
    lambda x: tf.cumsum(x, axis=1, exclusive=True, reverse=True),
    lambda x: tf.math.squared_difference(x, 0.5),
    lambda x: tf.math.l2_normalize(x, axis=1),
    lambda x: tf.nn.softmax(x),
    lambda x: tf.nn.log_softmax(x, axis=0),
    lambda x: tf.nn.leaky_relu(x),
    lambda x: tf.nn.gelu(x, approximate=True),
    lambda x: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 3, 1], logits=x),
    lambda x: tf.nn.softmax_cross_entropy_with_logits(np.eye(4)[[1, 1, 2]], x),
    lambda x: tf.nn.sigmoid_cross_entropy_with_logits(labels=np.ones((3, 4)), logits=x),
    lambda x: tf.nn.l2_loss(x),
    lambda x: tf.nn.moments(x, axes=[0])[1],
    lambda x: tf.norm(x, keepdims=True),
    lambda x: tf.boolean_mask(x, [True, False, True]),
    lambda x: tf.nn.embedding_lookup(x, [[0, 2], [1, 1]]),
])
def test_gradient_matches_finite_differences(function):
    assert ndgrad.gradcheck(function, [X.copy()])


def test_values_follow_tensorflow_definitions():
    x = tf.constant([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]])
    assert tf.argmax(x).numpy().tolist() == [1, 0, 1]                 # axis 0 by default
    assert tf.argmax(x, axis=1).dtype == np.int64
    assert tf.math.reduce_std(tf.constant([1.0, 3.0])).numpy().item() == 1.0   # population
    assert tf.where(x > 4.0).numpy().tolist() == [[0, 1], [1, 2]]
    assert tf.one_hot([1, 5], depth=3).numpy().tolist() == [[0, 1, 0], [0, 0, 0]]
    assert tf.one_hot([0], 2, axis=0).shape == (2, 1)
    assert tf.shape(x).numpy().tolist() == [2, 3] and tf.shape(x).dtype == np.int32
    assert tf.constant(1).dtype == np.int32 and tf.constant(np.int64(1)).dtype == np.int64
    assert tf.constant([1.0]).dtype == np.float32 and tf.constant(np.ones(1)).dtype == np.float64
    assert tf.range(0.0, 1.0, 0.5).dtype == np.float32
    assert tf.cast(tf.constant([0.6, -1.6]), tf.int32).numpy().tolist() == [0, -1]
    assert tf.math.round(tf.constant([0.5, 1.5, 2.5])).numpy().tolist() == [0.0, 2.0, 2.0]


def test_errors_name_the_function_and_the_values():
    with pytest.raises(ValueError, match=r"tf.split: sizes \[2, 2\].*length 5"):
        tf.split(tf.zeros([5]), [2, 2])
    with pytest.raises(ValueError, match="mode must be one of"):
        tf.pad(tf.zeros([2]), [[1, 1]], mode="WRAP")
    with pytest.raises(TypeError, match="tf.cast"):
        tf.convert_to_tensor(tf.constant([1.0]), dtype=tf.int32)
    with pytest.raises(ValueError, match="shape"):
        tf.constant([1.0, 2.0], shape=[3])
    with pytest.raises(tf.errors.InvalidArgumentError, match="matmul"):
        tf.matmul(tf.ones([3, 1]), tf.ones([10, 1]))


def test_unsupported_names_say_so():
    with pytest.raises(AttributeError, match="not supported by ndgrad"):
        tf.sparse   # noqa: B018
    assert tf.keras is __import__("ndgrad.keras", fromlist=["x"])


def test_random_seeds_make_runs_repeat_and_op_seeds_continue():
    tf.random.set_seed(5)
    a = tf.random.normal([3], seed=1)
    b = tf.random.normal([3], seed=1)
    tf.random.set_seed(5)
    assert tf.random.normal([3], seed=1).numpy().tolist() == a.numpy().tolist()
    assert a.numpy().tolist() != b.numpy().tolist()
    assert tf.random.uniform([100], 2, 5, dtype=tf.int32).numpy().min() >= 2
    with pytest.raises(ValueError, match="maxval"):
        tf.random.uniform([2], dtype=tf.int64)


def test_variable_assign_methods_and_tensorflow_dtypes():
    v = tf.Variable(np.zeros(3), trainable=False, dtype=tf.float32, name="v")
    v.assign([1.0, 2.0, 3.0])
    v.assign_add([1.0, 1.0, 1.0])
    v.assign_sub([0.5, 0.5, 0.5])
    assert v.numpy().tolist() == [1.5, 2.5, 3.5] and v.dtype == tf.float32
    assert not v.trainable and isinstance(v, tf.Variable) and isinstance(v, tf.Tensor)


def test_tf_variable_takes_tensorflow_arguments():
    v = tf.Variable(initial_value=[1, 2], trainable=False, shape=[None])
    assert v.dtype == np.int32 and not v.trainable
    assert tf.Variable(lambda: tf.ones([2, 2])).trainable
    with pytest.raises(ValueError, match="not the given shape"):
        tf.Variable([1.0, 2.0], shape=[3])
    with pytest.raises(ValueError, match="constraint"):
        tf.Variable([1.0], constraint=lambda x: x)
    counter = tf.Variable(0)                 # a step counter: int32, not trainable
    counter.assign_add(1)
    assert counter.dtype == np.int32 and not counter.trainable and int(counter) == 1
    with pytest.raises(ndgrad.DTypeError, match="floating"):
        tf.Variable([1, 2], trainable=True)
