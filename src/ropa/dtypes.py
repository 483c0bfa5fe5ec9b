"""The one text dtype: pandas strings backed by pyarrow, missing values ``pd.NA``.

``STRING == "string[pyarrow]"`` holds, so it is used wherever a dtype or its alias goes
(``astype``, ``dtype=``, comparisons) and its ``__from_arrow__`` turns an arrow array
into a column without a Python object per value.
"""

from __future__ import annotations

import pandas as pd

STRING = pd.StringDtype("pyarrow")  # "string[pyarrow]"
