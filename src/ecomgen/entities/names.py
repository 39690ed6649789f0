"""Names by frequency: common names first, family names also by region, Western given
names rare.

Which names are common in India, and where, is written for ecomgen from general knowledge
of Indian naming (no table is vendored): a national order of the commonest names and, per
region, family names much more frequent there than elsewhere (Banerjee in Bengal, Iyer in
Tamil Nadu, Sandhu in Punjab, Patil in Maharashtra). Every name comes from the vendored
en_IN lists; the remaining names follow the common ones in a keyed shuffle.
"""

from __future__ import annotations

import numpy as np

from ecomgen.kernels import fmath_arrays as fm

#: Regions (of naming) by customers' state (every state of the vendored cities).
STATE_REGION: dict[str, str] = {
    "Punjab": "punjab", "Haryana": "punjab", "Delhi": "punjab", "Chandigarh": "punjab",
    "Himachal Pradesh": "punjab", "Jammu and Kashmir": "punjab", "Uttarakhand": "hindi_belt",
    "Uttar Pradesh": "hindi_belt", "Bihar": "hindi_belt", "Madhya Pradesh": "hindi_belt",
    "Rajasthan": "hindi_belt", "Jharkhand": "hindi_belt", "Chhattisgarh": "hindi_belt",
    "West Bengal": "bengal", "Tripura": "bengal", "Odisha": "odisha", "Assam": "northeast",
    "Mizoram": "northeast", "Manipur": "northeast", "Sikkim": "northeast",
    "Maharashtra": "maharashtra", "Gujarat": "gujarat",
    "Tamil Nadu": "tamil", "Puducherry": "tamil", "Kerala": "kerala", "Karnataka": "kannada",
    "Telangana": "telugu", "Andhra Pradesh": "telugu",
}
REGIONS: tuple[str, ...] = tuple(dict.fromkeys(STATE_REGION.values()))

#: Common given names of the vendored lists, most common first (male and female mixed: a
#: gender's pool takes those it holds, in this order).
COMMON_GIVEN: tuple[str, ...] = (
    "Priya", "Arjun", "Anjali", "Aditya", "Pooja", "Rohan", "Neha", "Karan", "Sneha",
    "Gaurav", "Divya", "Siddharth", "Kavya", "Aarav", "Riya", "Harsh", "Nisha", "Pranav",
    "Anita", "Yash", "Lakshmi", "Krishna", "Deepa", "Sai", "Jyoti", "Ishaan", "Nidhi",
    "Aryan", "Isha", "Dhruv", "Tanvi", "Kabir", "Megha", "Ayush", "Pallavi", "Vivaan",
    "Ishita", "Dev", "Bhavna", "Om", "Radha", "Yuvraj", "Saanvi", "Ayaan", "Aadhya",
    "Reyansh", "Diya", "Atharv", "Anika", "Vihaan", "Avni", "Shaurya", "Anvi", "Rudra",
)
#: Western given names of the vendored lists: rare in India (a few per cent are Christian,
#: and most of them carry Indian names too).
WESTERN_GIVEN: frozenset[str] = frozenset((
    "Alexander", "Andrew", "Anthony", "Benjamin", "Caleb", "Charles", "Christopher",
    "Daniel", "David", "Elijah", "Ethan", "Gabriel", "Gavin", "Henry", "Isaac", "Jack",
    "Jacob", "Jeremiah", "Jonathan", "Joshua", "Kevin", "Liam", "Logan", "Luke", "Mason",
    "Matthew", "Michael", "Nathan", "Nicholas", "Noah", "Oliver", "Owen", "Robert", "Ryan",
    "Samuel", "Thomas", "William", "Wyatt", "Xavier",
))
WESTERN_FACTOR = 0.05

#: The commonest family names nationally, most common first.
COMMON: tuple[str, ...] = (
    "Kumar", "Singh", "Sharma", "Patel", "Das", "Yadav", "Reddy", "Shah", "Gupta", "Rao",
    "Verma", "Jain", "Mishra", "Nair", "Joshi", "Pandey", "Patil", "Chauhan", "Iyer", "Roy",
    "Ghosh", "Banerjee", "Agarwal", "Naidu", "Pillai", "Tiwari", "Mukherjee", "Srivastava",
    "Desai", "Kulkarni", "Thakur", "Prasad", "Sinha", "Jha", "Chatterjee", "Dubey", "Bose",
    "Sen", "Menon", "Saxena",
)

#: Family names at home in a region: far more frequent there than elsewhere (a name may be
#: at home in several).
REGION_NAMES: dict[str, tuple[str, ...]] = {
    "punjab": ("Singh", "Kaur", "Gill", "Sandhu", "Sidhu", "Dhillon", "Grewal", "Ahluwalia",
               "Bains", "Bajwa", "Brar", "Cheema", "Chahal", "Dhaliwal", "Randhawa", "Sekhon",
               "Virk", "Kapoor", "Khanna", "Malhotra", "Arora", "Chopra", "Bhatia", "Sethi",
               "Ahuja", "Bedi", "Kohli", "Sehgal", "Tandon", "Talwar", "Khurana", "Dhawan",
               "Chawla", "Sharma", "Rana"),
    "hindi_belt": ("Yadav", "Mishra", "Tiwari", "Dubey", "Pandey", "Srivastava", "Saxena",
                   "Chauhan", "Thakur", "Verma", "Jha", "Sinha", "Prasad", "Tripathi",
                   "Shukla", "Upadhyay", "Rastogi", "Nigam", "Dixit", "Pathak", "Bhargava",
                   "Agarwal", "Goyal", "Mittal", "Singhal", "Sharma", "Singh", "Gupta"),
    "bengal": ("Das", "Banerjee", "Chatterjee", "Mukherjee", "Bose", "Ghosh", "Sen", "Dutta",
               "Roy", "Chakraborty", "Mandal", "Basu", "Biswas", "Sarkar", "Saha", "Dey",
               "Majumdar", "Sengupta", "Dasgupta", "Bhattacharyya", "Ganguly", "Mitra",
               "Halder"),
    "odisha": ("Mohanty", "Das", "Dash", "Pradhan", "Rout", "Nayak", "Mishra"),
    "northeast": ("Kalita", "Bora", "Borah", "Das", "Sarma", "Dutta"),
    "maharashtra": ("Patil", "Kulkarni", "Deshmukh", "Joshi", "More", "Mane", "Sathe",
                    "Gokhale", "Apte", "Deshpande", "Kale",
                    "Nadkarni", "Karnik", "Wagle", "Salvi"),
    "gujarat": ("Patel", "Shah", "Desai", "Parekh", "Parikh", "Modi", "Pandya", "Trivedi",
                "Dave", "Vyas", "Doshi", "Kothari", "Sanghvi", "Thakkar", "Solanki", "Parmar",
                "Panchal", "Gandhi", "Jhaveri", "Sheth", "Joshi"),
    "tamil": ("Iyer", "Iyengar", "Pillai", "Krishnan", "Subramanian", "Srinivasan",
              "Ramachandran", "Natarajan", "Narayanan", "Raghavan", "Rajan", "Sundaram",
              "Balakrishnan", "Ramaswamy", "Viswanathan", "Swaminathan", "Ganesan",
              "Padmanabhan", "Venkataraman"),
    "kerala": ("Nair", "Menon", "Pillai", "Kurian", "Varghese", "Chacko", "Nayar", "Warrior",
               "Koshy", "Mammen", "Cherian", "Oommen", "Varkey", "Kuruvilla"),
    "kannada": ("Hegde", "Shetty", "Shenoy", "Pai", "Prabhu", "Swamy", "Murthy",
                "Rao", "Bhat"),
    "telugu": ("Reddy", "Rao", "Naidu", "Raju", "Murthy", "Sastry", "Varma"),
}
#: A region's own names are this much more frequent there; another region's this much less.
HOME_FACTOR = 6.0
AWAY_FACTOR = 0.15


def national_order(names: tuple[str, ...], shuffled: np.ndarray,
                   common: tuple[str, ...] = COMMON) -> np.ndarray:
    """Indices of ``names`` from the most to the least common nationally: the ``common``
    names in their order, then the others in the order of ``shuffled`` (a permutation)."""
    index = {n: i for i, n in enumerate(names)}
    first = [index[n] for n in common if n in index]
    taken = set(first)
    return np.array(first + [int(i) for i in shuffled if int(i) not in taken], dtype=np.int64)


def given_weights(names: tuple[str, ...], shuffled: np.ndarray, zipf: float) -> np.ndarray:
    """Weights of a pool of given names: Zipf by the national order (COMMON_GIVEN first),
    Western names at WESTERN_FACTOR."""
    rank = np.empty(len(names), dtype=np.float64)
    rank[national_order(names, shuffled, COMMON_GIVEN)] = np.arange(len(names), dtype=np.float64)
    western = np.array([n in WESTERN_GIVEN for n in names])
    return fm.pow_v(np, rank + 1.0, -zipf) * np.where(western, WESTERN_FACTOR, 1.0)


def region_weights(names: tuple[str, ...], national: np.ndarray, zipf: float) -> np.ndarray:
    """[regions, names] weights: a Zipf weight by national rank x HOME_FACTOR in the name's
    own region(s) and AWAY_FACTOR in the others (names of no region: 1 everywhere)."""
    rank = np.empty(len(names), dtype=np.float64)
    rank[national] = np.arange(len(names), dtype=np.float64)
    base = fm.pow_v(np, rank + 1.0, -zipf)
    out = np.tile(base, (len(REGIONS), 1))
    index = {n: i for i, n in enumerate(names)}
    homes: dict[int, set[int]] = {}
    for r, region in enumerate(REGIONS):
        for n in REGION_NAMES[region]:
            if n in index:
                homes.setdefault(index[n], set()).add(r)
    for i, rs in homes.items():
        for r in range(len(REGIONS)):
            out[r, i] *= HOME_FACTOR if r in rs else AWAY_FACTOR
    return out


def region_of_states(states: tuple[str, ...]) -> np.ndarray:
    """Region index of each state label."""
    return np.array([REGIONS.index(STATE_REGION[s]) for s in states], dtype=np.int64)
