"""How a Module finds what it holds: sub-modules, parameters and buffers, found by
walking its attributes (lists, tuples and dicts included), and looked up by
their dotted PyTorch names.

``ModuleTree`` is a base of :class:`ndgrad.nn.Module`; it is not used alone.
Registration (``register_parameter``, ``register_buffer``, ``add_module``, ...)
is in :mod:`ndgrad.nn.module_registration`.

Every listing (``parameters()``, ``named_parameters()``, ``children()``,
``modules()``, ``buffers()`` and their named forms) returns a
:class:`MemberList`: a list, so ``len`` and indexing work, that is also an
iterator, so PyTorch's ``next(model.parameters())`` works too.

Example:
    >>> import ndgrad
    >>> model = ndgrad.nn.Sequential(ndgrad.nn.Linear(2, 2))
    >>> [name for name, _ in model.named_parameters()]
    ['0.weight', '0.bias']
    >>> next(model.parameters()).shape, len(model.parameters())
    ((2, 2), 2)
"""

from ..tensor import Tensor
from ..variable import Variable
from .module_registration import RegistrationMixin


# Attributes that are the module's own settings, never members. A Module or
# Parameter assigned to one of the public ones is refused (see
# module_registration.RESERVED); what compile() sets (``optimizer``, ``loss``...)
# is skipped only while it holds compile's value (the ``_configuration`` names),
# so PyTorch code's ``self.loss = nn.Linear(...)`` registers as in PyTorch.
_INTERNAL = frozenset(["_parameters", "_buffers", "_trainable", "training", "built", "name",
                       "dtype", "_input_shape", "_output_shape", "_build_input_shape",
                       "_module_hooks", "_non_persistent_buffers", "_configuration"])


class MemberList(list):
    """A list that is also an iterator (decision D3).

    PyTorch's ``parameters()`` is a generator (``next(model.parameters())``);
    ndgrad's was a list (``len(model.parameters())``). This is both: ``next``
    takes items from the front, as from the generator, and iterating gives the
    items ``next`` has not taken yet, so a list that ``next`` never touched can
    be iterated any number of times.

    Example:
        >>> from ndgrad.nn.module_tree import MemberList
        >>> items = MemberList(["a", "b", "c"])
        >>> len(items), items[1], list(items)
        (3, 'b', ['a', 'b', 'c'])
        >>> next(items), list(items)
        ('a', ['b', 'c'])
    """

    _taken = 0

    def __next__(self):
        index = self._taken
        if index >= len(self):
            raise StopIteration
        self._taken = index + 1
        return list.__getitem__(self, index)

    def __iter__(self):
        if self._taken == 0:
            return list.__iter__(self)
        return iter(list.__getitem__(self, slice(self._taken, None)))


def _is_parameter(value):
    return isinstance(value, Variable) and value._is_parameter


def _members(value, prefix, depth=0):
    """(name, member) for the Modules and Tensors inside a container attribute."""
    if isinstance(value, (ModuleTree, Tensor)):
        yield prefix, value
    elif depth < 4 and isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _members(item, f"{prefix}.{i}", depth + 1)
    elif depth < 4 and isinstance(value, dict):
        for key, item in value.items():
            yield from _members(item, f"{prefix}.{key}", depth + 1)


def tensor_kind(module, name, member):
    """'parameter', 'buffer' or None for a direct member of ``module``.

    Example:
        >>> from ndgrad.nn.module_tree import tensor_kind
        >>> import ndgrad
        >>> layer = ndgrad.nn.BatchNorm1d(2)
        >>> tensor_kind(layer, "weight", layer.weight)
        'parameter'
        >>> tensor_kind(layer, "running_mean", layer.running_mean)
        'buffer'
    """
    if not isinstance(member, Tensor):
        return None
    registered_buffer = name in module._buffers
    if _is_parameter(member) and not registered_buffer:
        return "parameter"
    if registered_buffer or isinstance(member, Variable):
        return "buffer"
    return None


class ModuleTree(RegistrationMixin):
    """Discovery of sub-modules, parameters and buffers, and lookup by name."""

    # ------------------------------------------------------------ discovery
    def _direct_members(self):
        """(name, member) for this module's own Modules, Variables and buffers."""
        configuration = self.__dict__.get("_configuration", ())
        for key, value in self.__dict__.items():
            if key == "_parameters" or key == "_buffers":
                yield from value.items()
            elif key not in _INTERNAL and key not in configuration:
                yield from _members(value, key)

    def named_children(self):
        """(name, module) for the direct sub-modules, in assignment order, each once.

        Example:
            >>> import ndgrad
            >>> [n for n, _ in ndgrad.nn.Sequential(ndgrad.nn.Identity()).named_children()]
            ['0']
        """
        return self._child_modules(remove_duplicate=True)

    def _child_modules(self, remove_duplicate, members=None):
        seen = set()
        found = MemberList()
        for name, member in (self._direct_members() if members is None else members):
            if isinstance(member, ModuleTree) and id(member) not in seen:
                if remove_duplicate:
                    seen.add(id(member))
                found.append((name, member))
        return found

    def children(self):
        """The direct sub-modules."""
        return MemberList([module for _, module in self.named_children()])

    def named_modules(self, memo=None, prefix="", remove_duplicate=True):
        """(name, module) for this module and every module below it, depth first.

        Args:
            memo: a set of modules to skip (PyTorch's argument; filled as it goes).
            prefix: put before every name.
            remove_duplicate: list a module reached twice only once.

        Example:
            >>> import ndgrad
            >>> [n for n, _ in ndgrad.nn.Sequential(ndgrad.nn.Identity()).named_modules()]
            ['', '0']
        """
        return MemberList([(name, module) for name, module, _
                           in self._walk(memo, prefix, remove_duplicate)])

    def _walk(self, memo=None, prefix="", remove_duplicate=True):
        """(name, module, its direct members) for this module and every module below,
        depth first; each module's attributes are read once."""
        seen = set() if memo is None else memo
        found = []
        stack = [(prefix, self)]
        while stack:
            name, module = stack.pop()
            if remove_duplicate:
                if module in seen:
                    continue
                seen.add(module)
            members = list(module._direct_members())
            found.append((name, module, members))
            stack.extend(reversed([(f"{name}.{child_name}" if name else child_name, child)
                                   for child_name, child
                                   in module._child_modules(remove_duplicate, members)]))
        return found

    def modules(self):
        """This module and every module below it."""
        return MemberList([module for _, module in self.named_modules()])

    def _named_tensors(self, want, prefix="", recurse=True, remove_duplicate=True):
        seen = set()
        found = MemberList()
        modules = (self._walk(None, prefix, remove_duplicate) if recurse
                   else [(prefix, self, self._direct_members())])
        for module_name, module, members in modules:
            for name, member in members:
                if (isinstance(member, Tensor) and id(member) not in seen
                        and tensor_kind(module, name, member) == want):
                    if remove_duplicate:
                        seen.add(id(member))
                    found.append(((f"{module_name}.{name}" if module_name else name), member))
        return found

    def named_parameters(self, prefix="", recurse=True, remove_duplicate=True):
        """(name, parameter) pairs, PyTorch's names (``0.weight``), each once.

        Example:
            >>> import ndgrad
            >>> [n for n, _ in ndgrad.nn.Linear(2, 3).named_parameters()]
            ['weight', 'bias']
        """
        return self._named_tensors("parameter", prefix, recurse, remove_duplicate)

    def parameters(self, recurse=True):
        """Every parameter below this module, frozen ones included (PyTorch).

        Example:
            >>> import ndgrad
            >>> len(ndgrad.nn.Linear(2, 3).parameters())
            2
        """
        return MemberList([p for _, p in self.named_parameters(recurse=recurse)])

    def named_buffers(self, prefix="", recurse=True, remove_duplicate=True):
        """(name, buffer) pairs: non-trainable state such as running statistics."""
        return self._named_tensors("buffer", prefix, recurse, remove_duplicate)

    def buffers(self, recurse=True):
        """Non-trainable state: registered buffers and Variables made with trainable=False."""
        return MemberList([b for _, b in self.named_buffers(recurse=recurse)])

    def extra_repr(self):
        """Extra text shown in this module's repr (override)."""
        return ""

    def __repr__(self):
        # PyTorch's layout: a one-line extra_repr stays on the head line; several
        # lines, or sub-modules, go one per line below it, indented.
        extra = self.extra_repr()
        lines = extra.split("\n") if extra else []
        children = [f"({name}): " + repr(child).replace("\n", "\n  ")
                    for name, child in self.named_children()]
        head = f"{type(self).__name__}("
        if len(lines) == 1 and not children:
            return head + lines[0] + ")"
        if not lines and not children:
            return head + ")"
        return head + "\n  " + "\n  ".join(lines + children) + "\n)"

    def apply(self, function):
        """Call ``function(module)`` on every sub-module, children before their parent
        (PyTorch's order), then on this one; returns self.

        Example:
            >>> import ndgrad
            >>> nn = ndgrad.nn
            >>> seen = []
            >>> _ = nn.Sequential(nn.Sequential(nn.ReLU()), nn.Tanh()).apply(
            ...     lambda m: seen.append(type(m).__name__))
            >>> seen
            ['ReLU', 'Sequential', 'Tanh', 'Sequential']
        """
        order, done, stack = [], set(), [(self, False)]
        while stack:                  # post-order without recursion; each module once
            module, expanded = stack.pop()
            if expanded:
                order.append(module)
            elif id(module) not in done:
                done.add(id(module))
                stack.append((module, True))
                stack.extend((child, False) for child in reversed(module.children()))
        for module in order:
            function(module)
        return self

    # ------------------------------------------------------------ lookup by name
    def get_submodule(self, target):
        """The module at dotted path ``target`` ("" is this module), as PyTorch.

        Example:
            >>> import ndgrad
            >>> model = ndgrad.nn.Sequential(ndgrad.nn.Sequential(ndgrad.nn.Linear(2, 2)))
            >>> model.get_submodule("0.0")
            Linear(in_features=2, out_features=2, bias=True)
        """
        modules = dict(self.named_modules(remove_duplicate=False))
        if target not in modules:
            raise AttributeError(f"get_submodule: {type(self).__name__} has no sub-module "
                                 f"'{target}'; its sub-modules are {_listing(modules)}")
        return modules[target]

    def _tensor_by_name(self, target, want, what):
        for module_name, module in self.named_modules(remove_duplicate=False):
            for name, member in module._direct_members():
                full = f"{module_name}.{name}" if module_name else name
                if full == target and tensor_kind(module, name, member) == want:
                    return member
        names = [name for name, _ in self._named_tensors(want, remove_duplicate=False)]
        raise AttributeError(f"get_{what}: {type(self).__name__} has no {what} '{target}'; "
                             f"its {what}s are {_listing(names)}")

    def get_parameter(self, target):
        """The parameter at dotted path ``target`` (``"0.weight"``).

        Example:
            >>> import ndgrad
            >>> ndgrad.nn.Sequential(ndgrad.nn.Linear(2, 3)).get_parameter("0.bias").shape
            (3,)
        """
        return self._tensor_by_name(target, "parameter", "parameter")

    def get_buffer(self, target):
        """The buffer at dotted path ``target`` (``"0.running_mean"``).

        Example:
            >>> import ndgrad
            >>> ndgrad.nn.Sequential(ndgrad.nn.BatchNorm1d(3)).get_buffer("0.running_var").shape
            (3,)
        """
        return self._tensor_by_name(target, "buffer", "buffer")

    # ------------------------------------------------------------ Keras views
    def _own_attribute_or(self, name, compute):
        # PyTorch code may assign an attribute under a Keras view's name
        # (``self.weights = nn.ParameterList(...)``): then that attribute wins.
        own = self.__dict__.get(name)
        return compute() if own is None else own

    @property
    def trainable_variables(self):
        """The parameters whose ``trainable`` flag is on (Keras).

        Example:
            >>> import ndgrad
            >>> layer = ndgrad.nn.Linear(2, 1); layer.trainable = False
            >>> layer.trainable_variables
            []
        """
        return [p for p in self.parameters() if p.trainable]

    trainable_weights = trainable_variables

    @property
    def non_trainable_variables(self):
        """Frozen parameters and non-trainable state (Keras)."""
        return [p for p in self.parameters() if not p.trainable] + self.buffers()

    non_trainable_weights = non_trainable_variables

    def _variables(self):
        return self.parameters() + self.buffers()

    def _set_own_attribute(name):
        def setter(self, value):
            self.__dict__[name] = value
        return setter

    variables = property(
        lambda self: self._own_attribute_or("variables", self._variables),
        _set_own_attribute("variables"),
        doc="Every parameter and every buffer (Keras; ``weights`` is the same list).")
    weights = property(
        lambda self: self._own_attribute_or("weights", self._variables),
        _set_own_attribute("weights"),
        doc="Every parameter and every buffer (Keras); an attribute a module assigns "
            "under this name (PyTorch code) takes its place.")
    del _set_own_attribute

    def count_params(self):
        """The number of scalars in every parameter and buffer.

        Example:
            >>> import ndgrad
            >>> ndgrad.nn.Linear(3, 2).count_params()
            8
        """
        return sum(int(v.size) for v in self.variables)


def _listing(names):
    names = [repr(n) for n in names]
    if not names:
        return "none"
    return ", ".join(names[:12]) + (f" and {len(names) - 12} more" if len(names) > 12 else "")
